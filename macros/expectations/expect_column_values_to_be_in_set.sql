{#
    Great Expectations `expect_column_values_to_be_in_set`: fails on every row whose
    value is outside `value_set` (nulls are ignored, as in Great Expectations).
    `quote_values: false` compares with unquoted literals (numbers).
#}
{% test expect_column_values_to_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none) %}

{%- set literals = [] -%}
{%- for value in value_set -%}
    {%- do literals.append(sql_string(value) if quote_values else value) -%}
{%- endfor %}

with

failing as (

    select * from {{ model }}
    where {{ column_name }} is not null
        and {{ column_name }} not in ({{ literals | join(', ') }})
        {{- expectation_row_condition(row_condition) }}

)

select * from failing

{% endtest %}
