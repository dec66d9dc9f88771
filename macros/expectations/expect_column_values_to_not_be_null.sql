{#
    Great Expectations `expect_column_values_to_not_be_null` (dbt_expectations
    arguments): fails on every row whose column is null.
#}
{% test expect_column_values_to_not_be_null(model, column_name, row_condition=none) %}

with

failing as (

    select * from {{ model }}
    where {{ column_name }} is null
        {{- expectation_row_condition(row_condition) }}

)

select * from failing

{% endtest %}
