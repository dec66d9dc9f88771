{#
    Cross-database building blocks of the data-quality layer (expectation tests,
    quarantine, observability hooks). Everything that differs between DuckDB and
    Snowflake is dispatched here; the tests and models above it are plain SQL.
#}

{# a regular expression pattern as a SQL string literal (Snowflake literals treat \ as an escape) #}
{% macro regex_literal(pattern, is_raw=false) -%}
    {{ return(adapter.dispatch('regex_literal')(pattern, is_raw)) }}
{%- endmacro %}

{% macro default__regex_literal(pattern, is_raw=false) -%}
    '{{ pattern | replace("'", "''") }}'
{%- endmacro %}

{% macro snowflake__regex_literal(pattern, is_raw=false) -%}
    {%- if is_raw -%}
        '{{ pattern | replace("'", "''") }}'
    {%- else -%}
        '{{ pattern | replace("\\", "\\\\") | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}

{#
    true when the pattern matches somewhere in the text (anchor it with ^ and $ for a
    whole-value match), as Great Expectations' and dbt_expectations' regex tests do;
    flags: "i" for a case-insensitive match
#}
{% macro regex_search(expression, pattern, is_raw=false, flags='') -%}
    {{ return(adapter.dispatch('regex_search')(expression, pattern, is_raw, flags)) }}
{%- endmacro %}

{% macro default__regex_search(expression, pattern, is_raw=false, flags='') -%}
    regexp_matches({{ expression }}, {{ regex_literal(pattern, is_raw) }}
        {%- if flags %}, '{{ flags }}'{% endif %})
{%- endmacro %}

{% macro snowflake__regex_search(expression, pattern, is_raw=false, flags='') -%}
    regexp_instr({{ expression }}, {{ regex_literal(pattern, is_raw) }}, 1, 1, 0, '{{ flags or "c" }}') > 0
{%- endmacro %}

{# the current instant as a UTC timestamp without zone #}
{% macro utc_now() -%}
    {{ return(adapter.dispatch('utc_now')()) }}
{%- endmacro %}

{% macro default__utc_now() -%}
    cast(timezone('UTC', now()) as timestamp)
{%- endmacro %}

{% macro snowflake__utc_now() -%}
    sysdate()
{%- endmacro %}

{# any value as a SQL string literal (none becomes null) #}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    {%- if value is none -%}null{%- else -%}'{{ value | string | replace("'", "''") }}'{%- endif -%}
{%- endmacro %}

{% macro snowflake__sql_string(value) -%}
    {%- if value is none -%}null
    {%- else -%}'{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}

{#
    One row per element of a delimited text column: selects `key_columns` plus the
    element as `element`, from `relation_sql` (a relation or a parenthesized query).
#}
{% macro split_to_rows(relation_sql, key_columns, text_column, delimiter) -%}
    {{ return(adapter.dispatch('split_to_rows')(relation_sql, key_columns, text_column, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_rows(relation_sql, key_columns, text_column, delimiter) -%}
    select
        {% for column in key_columns %}{{ column }},
        {% endfor -%}
        trim(unnest(string_split({{ text_column }}, '{{ delimiter }}'))) as element
    from {{ relation_sql }}
    where {{ text_column }} is not null
{%- endmacro %}

{% macro snowflake__split_to_rows(relation_sql, key_columns, text_column, delimiter) -%}
    select
        {% for column in key_columns %}splitted.{{ column }},
        {% endfor -%}
        trim(parts.value::varchar) as element
    from {{ relation_sql }} as splitted,
        lateral split_to_table(splitted.{{ text_column }}, '{{ delimiter }}') as parts
    where splitted.{{ text_column }} is not null
{%- endmacro %}
