{#
    Great Expectations `expect_row_values_to_have_recent_data` (dbt_expectations
    arguments `datepart`, `interval`): fails when the latest value of the timestamp
    column is older than `interval` `datepart`s before now (UTC), or when there is
    none. One failing row: the latest value and the oldest value still accepted.
#}
{% test expect_row_values_to_have_recent_data(model, column_name, datepart, interval, row_condition=none) %}

with

latest as (

    select
        max(cast({{ column_name }} as {{ dbt.type_timestamp() }})) as latest_value,
        {{ dbt.dateadd(datepart, -1 * (interval | int), utc_now()) }} as oldest_accepted
    from {{ model }}
    where {{ column_name }} is not null
        {{- expectation_row_condition(row_condition) }}

),

failing as (

    select * from latest
    where latest_value is null
        or latest_value < oldest_accepted

)

select * from failing

{% endtest %}
