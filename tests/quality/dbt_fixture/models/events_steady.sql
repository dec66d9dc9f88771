-- 21 days of events, 96 to 98 a day, evenly spread: no anomaly (portable SQL).
with

numbers as (

    {{ dbt.generate_series(2100) }}

),

slots as (

    select
        floor((generated_number - 1) / 100) as day_number,
        mod(generated_number - 1, 100) as slot_number
    from numbers

),

events as (

    select
        {{ dbt.dateadd(
            'minute',
            'cast(floor(slot_number * 1440 / (96 + mod(day_number, 3))) as integer)',
            dbt.dateadd('day', 'cast(day_number as integer)',
                "cast('2026-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")")
        ) }} as event_at
    from slots
    where slot_number < 96 + mod(day_number, 3)

)

select * from events
