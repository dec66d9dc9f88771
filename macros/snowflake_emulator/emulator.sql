{#
    The Snowflake emulator target (`snowflake_emulator` in profiles.yml: the fakesnow
    server on loopback, used by tests/snowflake). fakesnow lacks a few Snowflake
    features dbt-snowflake relies on. Each macro below overrides one dbt-snowflake
    macro *only on that target* and calls dbt-snowflake's own macro everywhere else,
    so real Snowflake runs exactly the adapter's SQL. docs/snowflake.md
    ("Workarounds") lists every difference.
#}

{# true on the emulator target only #}
{% macro is_snowflake_emulator() -%}
    {{ return(target.type == 'snowflake' and target.name == 'snowflake_emulator') }}
{%- endmacro %}

{#
    Temporary tables (incremental delete+insert staging, snapshot staging, unit-test
    fixtures). fakesnow (DuckDB) keeps temporary tables in a catalog of their own and
    rejects a database- and schema-qualified temporary table, which is what
    dbt-snowflake creates. Emulator: a transient table of the same name, which dbt
    drops (or replaces) as it would the temporary one.
#}
{% macro snowflake__create_table_temporary_sql(relation, compiled_code) -%}
    {%- if is_snowflake_emulator() -%}
        {{ dbt.snowflake__create_table_transient_sql(relation, compiled_code) }}
    {%- else -%}
        {{ dbt.snowflake__create_table_temporary_sql(relation, compiled_code) }}
    {%- endif -%}
{%- endmacro %}

{# Temporary views (incremental merge staging): the same limitation; a plain view #}
{% macro snowflake__create_view_as_with_temp_flag(relation, sql, is_temporary=False) -%}
    {%- if is_snowflake_emulator() -%}
        {{ dbt.snowflake__create_view_as_with_temp_flag(relation, sql, False) }}
    {%- else -%}
        {{ dbt.snowflake__create_view_as_with_temp_flag(relation, sql, is_temporary) }}
    {%- endif -%}
{%- endmacro %}

{#
    Column comments of tables (persist_docs). dbt-snowflake sends one
    `alter table ... alter "A" comment $$..$$, "B" comment $$..$$` statement, which
    fakesnow cannot parse. Emulator: skipped (logged); relation comments and the
    column comments of views (part of `create view`) are still persisted.
#}
{% macro snowflake__alter_column_comment(relation, column_dict) -%}
    {%- if is_snowflake_emulator() -%}
        {{ log("column comments (emulator: skipped) on " ~ relation.render()) }}
        {{ return('') }}
    {%- else -%}
        {{ return(dbt.snowflake__alter_column_comment(relation, column_dict)) }}
    {%- endif -%}
{%- endmacro %}

{#
    Elementary's temporary tables (its artifact models' staging tables, the test
    results it gathers at the end of a run): the same fakesnow limitation. Emulator:
    Elementary's own path for warehouses without temporary tables (plain tables it
    drops itself), and plain tables wherever it still asks for a temporary one.
#}
{% macro snowflake__has_temp_table_support() -%}
    {%- if is_snowflake_emulator() -%}
        {{ return(false) }}
    {%- else -%}
        {{ return(elementary.default__has_temp_table_support()) }}
    {%- endif -%}
{%- endmacro %}

{% macro snowflake__edr_get_create_table_as_sql(temporary, relation, sql_query, expiration_hours=none) -%}
    {{ elementary.snowflake__edr_get_create_table_as_sql(
        temporary and not is_snowflake_emulator(), relation, sql_query,
        expiration_hours=expiration_hours) }}
{%- endmacro %}
