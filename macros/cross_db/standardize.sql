{#
    Cross-database building blocks of the standardization rules. Everything that
    differs between DuckDB and Snowflake is dispatched here and nowhere else.
#}

{# x matches a regular expression as a whole #}
{% macro regex_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro snowflake__regex_full_match(expression, pattern) -%}
    regexp_like({{ expression }}, '{{ pattern | replace("\\", "\\\\") }}')
{%- endmacro %}

{# replace every match of a pattern #}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro snowflake__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern | replace("\\", "\\\\") }}', '{{ replacement | replace("\\", "\\\\") }}')
{%- endmacro %}

{# an ISO 8601 text with a zone designator, as a UTC timestamp without zone; null if invalid #}
{% macro iso_text_to_utc(expression) -%}
    {{ return(adapter.dispatch('iso_text_to_utc')(expression)) }}
{%- endmacro %}

{% macro default__iso_text_to_utc(expression) -%}
    timezone('UTC', try_cast({{ expression }} as timestamptz))
{%- endmacro %}

{% macro snowflake__iso_text_to_utc(expression) -%}
    convert_timezone('UTC', try_to_timestamp_tz({{ expression }}))::timestamp_ntz
{%- endmacro %}

{# a YYYY-MM-DD text as a date; null if invalid #}
{% macro text_to_date(expression) -%}
    {{ return(adapter.dispatch('text_to_date')(expression)) }}
{%- endmacro %}

{% macro default__text_to_date(expression) -%}
    try_cast({{ expression }} as date)
{%- endmacro %}

{% macro snowflake__text_to_date(expression) -%}
    try_to_date({{ expression }}, 'YYYY-MM-DD')
{%- endmacro %}

{# element i (0-based) of a JSON array, as text #}
{% macro json_array_element_text(expression, index) -%}
    {{ return(adapter.dispatch('json_array_element_text')(expression, index)) }}
{%- endmacro %}

{% macro default__json_array_element_text(expression, index) -%}
    json_extract_string({{ expression }}, '$[{{ index }}]')
{%- endmacro %}

{% macro snowflake__json_array_element_text(expression, index) -%}
    {{ expression }}[{{ index }}]::varchar
{%- endmacro %}

{#
    A Bynder metaproperty value as text: the first option of a select, which the API
    sends as an array of option names (landed as JSON text), or the text itself (a
    text metaproperty). Raw keeps the text; anything that is not a JSON array passes.
#}
{% macro json_first_text(expression) -%}
    {{ return(adapter.dispatch('json_first_text')(expression)) }}
{%- endmacro %}

{% macro default__json_first_text(expression) -%}
    {%- set parsed = "try_cast(cast(" ~ expression ~ " as varchar) as json)" -%}
    case
        when json_type({{ parsed }}) = 'ARRAY' then json_extract_string({{ parsed }}, '$[0]')
        else cast({{ expression }} as varchar)
    end
{%- endmacro %}

{% macro snowflake__json_first_text(expression) -%}
    {%- set parsed = "try_parse_json(cast(" ~ expression ~ " as varchar))" -%}
    case
        when is_array({{ parsed }}) then {{ parsed }}[0]::varchar
        else cast({{ expression }} as varchar)
    end
{%- endmacro %}

{# a JSON array of strings joined with a separator #}
{% macro json_array_join(expression, separator) -%}
    {{ return(adapter.dispatch('json_array_join')(expression, separator)) }}
{%- endmacro %}

{% macro default__json_array_join(expression, separator) -%}
    array_to_string(from_json({{ expression }}, '["VARCHAR"]'), '{{ separator }}')
{%- endmacro %}

{% macro snowflake__json_array_join(expression, separator) -%}
    array_to_string({{ expression }}, '{{ separator }}')
{%- endmacro %}

{# the JSON type of the target: DuckDB json, Snowflake variant #}
{% macro type_json() -%}
    {{ return(adapter.dispatch('type_json')()) }}
{%- endmacro %}

{% macro default__type_json() -%}json{%- endmacro %}

{% macro snowflake__type_json() -%}variant{%- endmacro %}

{# texts joined with a separator, skipping nulls (Snowflake's concat_ws would return null) #}
{% macro join_non_null(expressions, separator) -%}
    {{ return(adapter.dispatch('join_non_null')(expressions, separator)) }}
{%- endmacro %}

{% macro default__join_non_null(expressions, separator) -%}
    concat_ws('{{ separator }}', {{ expressions | join(', ') }})
{%- endmacro %}

{% macro snowflake__join_non_null(expressions, separator) -%}
    array_to_string(array_construct_compact({{ expressions | join(', ') }}), '{{ separator }}')
{%- endmacro %}

{# a whole row of a relation alias as one JSON object (the raw record of a rejected row) #}
{% macro row_to_json(relation_alias) -%}
    {{ return(adapter.dispatch('row_to_json')(relation_alias)) }}
{%- endmacro %}

{% macro default__row_to_json(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro %}

{% macro snowflake__row_to_json(relation_alias) -%}
    to_json(object_construct_keep_null({{ relation_alias }}.*))
{%- endmacro %}

{# dlt's load id (epoch seconds as text) as a UTC timestamp #}
{% macro load_id_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('load_id_to_timestamp')(expression)) }}
{%- endmacro %}

{% macro default__load_id_to_timestamp(expression) -%}
    timezone('UTC', to_timestamp(cast({{ expression }} as double)))
{%- endmacro %}

{% macro snowflake__load_id_to_timestamp(expression) -%}
    to_timestamp_ntz(cast({{ expression }} as number(38, 6)))
{%- endmacro %}
