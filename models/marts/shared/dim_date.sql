with

date_spine as (

    {{ dbt_utils.date_spine(
        'day',
        "cast('" ~ var('date_spine_start') ~ "' as date)",
        "cast('" ~ var('date_spine_end') ~ "' as date)"
    ) }}

),

days as (

    select cast(date_day as date) as date_day
    from date_spine

),

calendar as (

    select
        ---------- ids
        {{ date_key('date_day') }} as date_key,

        ---------- strings
        case {{ calendar_part('isodow', 'date_day') }}
            when 1 then 'Monday'
            when 2 then 'Tuesday'
            when 3 then 'Wednesday'
            when 4 then 'Thursday'
            when 5 then 'Friday'
            when 6 then 'Saturday'
            when 7 then 'Sunday'
        end as day_name,
        case cast(extract(month from date_day) as {{ dbt.type_int() }})
            when 1 then 'January'
            when 2 then 'February'
            when 3 then 'March'
            when 4 then 'April'
            when 5 then 'May'
            when 6 then 'June'
            when 7 then 'July'
            when 8 then 'August'
            when 9 then 'September'
            when 10 then 'October'
            when 11 then 'November'
            when 12 then 'December'
        end as month_name,

        ---------- numerics
        {{ calendar_part('isodow', 'date_day') }} as day_of_week,
        cast(extract(day from date_day) as {{ dbt.type_int() }}) as day_of_month,
        {{ calendar_part('dayofyear', 'date_day') }} as day_of_year,
        {{ calendar_part('isoweek', 'date_day') }} as week_of_year,
        cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_of_year,
        cast(extract(quarter from date_day) as {{ dbt.type_int() }}) as quarter_of_year,
        cast(extract(year from date_day) as {{ dbt.type_int() }}) as calendar_year,

        ---------- booleans
        {{ calendar_part('isodow', 'date_day') }} in (6, 7) as is_weekend,

        ---------- dates
        date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date

    from days

)

select * from calendar
