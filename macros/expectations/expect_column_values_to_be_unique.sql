{#
    Great Expectations `expect_column_values_to_be_unique`: fails on every value that
    appears more than once (nulls are ignored); one row per duplicated value.
#}
{% test expect_column_values_to_be_unique(model, column_name, row_condition=none) %}

with

filtered as (

    select {{ column_name }} as duplicated_value from {{ model }}
    where {{ column_name }} is not null
        {{- expectation_row_condition(row_condition) }}

),

duplicated as (

    select
        duplicated_value,
        count(*) as n_records
    from filtered
    group by duplicated_value
    having count(*) > 1

)

select * from duplicated

{% endtest %}
