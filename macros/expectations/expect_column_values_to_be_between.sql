{#
    Great Expectations `expect_column_values_to_be_between`: fails on every row whose
    value is below `min_value` or above `max_value` (SQL expressions; either may be
    left out). `strictly: true` excludes the bounds. Nulls are ignored.
#}
{% test expect_column_values_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false) %}

with

failing as (

    select * from {{ model }}
    where {{ column_name }} is not null
        and not {{ expectation_between(column_name, min_value, max_value, strictly) }}
        {{- expectation_row_condition(row_condition) }}

)

select * from failing

{% endtest %}
