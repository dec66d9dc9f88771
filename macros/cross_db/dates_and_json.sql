{#
    Cross-database pieces of the intermediate and mart layers: calendar parts that
    DuckDB and Snowflake name differently, and JSON field access.
#}

{# an ISO calendar part of a date: isodow (1 = Monday), isoweek or dayofyear #}
{% macro calendar_part(part, expression) -%}
    {{ return(adapter.dispatch('calendar_part')(part, expression)) }}
{%- endmacro %}

{% macro default__calendar_part(part, expression) -%}
    {%- set names = {'isodow': 'isodow', 'isoweek': 'week', 'dayofyear': 'doy'} -%}
    cast(extract({{ names[part] }} from {{ expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro snowflake__calendar_part(part, expression) -%}
    {%- set names = {'isodow': 'dayofweekiso', 'isoweek': 'weekiso', 'dayofyear': 'dayofyear'} -%}
    cast(extract({{ names[part] }} from {{ expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{# a top-level field of a JSON object, as text #}
{% macro json_field_text(expression, field) -%}
    {{ return(adapter.dispatch('json_field_text')(expression, field)) }}
{%- endmacro %}

{% macro default__json_field_text(expression, field) -%}
    json_extract_string({{ expression }}, '$.{{ field }}')
{%- endmacro %}

{% macro snowflake__json_field_text(expression, field) -%}
    {{ expression }}:{{ field }}::varchar
{%- endmacro %}

{# a 64-bit floating point type (dbt.type_float() is 32-bit `float` on DuckDB) #}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}double{%- endmacro %}

{% macro snowflake__type_double() -%}float{%- endmacro %}
