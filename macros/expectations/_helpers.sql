{#
    Shared pieces of the Great Expectations vocabulary tests in this folder. Each test
    returns the rows (or groups) that break the expectation, so its failure count is
    what a steward reads, and a failing run can show a sample of them.
#}

{# " and (<row_condition>)" when a row condition is given (dbt_expectations' `row_condition`) #}
{% macro expectation_row_condition(row_condition, prefix='and') -%}
    {%- if row_condition %} {{ prefix }} ({{ row_condition }}){% endif -%}
{%- endmacro %}

{# comparison of an expression with optional bounds; `strictly` makes both bounds exclusive #}
{% macro expectation_between(expression, min_value=none, max_value=none, strictly=false) -%}
    {%- set low = '>' if strictly else '>=' -%}
    {%- set high = '<' if strictly else '<=' -%}
    {%- if min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error("give min_value, max_value or both") }}
    {%- endif -%}
    (
        {%- if min_value is not none %}{{ expression }} {{ low }} {{ min_value }}{% endif -%}
        {%- if min_value is not none and max_value is not none %} and {% endif -%}
        {%- if max_value is not none %}{{ expression }} {{ high }} {{ max_value }}{% endif -%}
    )
{%- endmacro %}
