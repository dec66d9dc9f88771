{#
    Cross-database building blocks of the data-quality layer (quarantine, observability
    hooks; the expectation tests are dbt_expectations'). Everything that differs between
    DuckDB and Snowflake is dispatched here; the models above it are plain SQL.
#}

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
