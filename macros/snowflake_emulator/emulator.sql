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

{#
    The blue-green deploy (macros/deploy/blue_green.sql). fakesnow has no
    `create schema ... clone`, no `alter schema ... swap with` and no
    `alter schema ... rename to`. Emulator: the tables are copied instead, the swap and
    the rollback inside one transaction (fakesnow's DuckDB is transactional: a reader
    sees one build or the other), one statement per request. Real Snowflake keeps the
    zero-copy clone and the atomic schema swap (the snowflake__ macros there).
#}
{% macro emulator_run_in_transaction(statements) -%}
    {%- do run_query('begin transaction') -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {%- do run_query('commit') -%}
{%- endmacro %}

{% macro emulator_copy_tables(tables, source, target, replace=false) -%}
    {%- set statements = [] -%}
    {%- for table in tables -%}
        {%- do statements.append(
            ('create or replace table ' if replace else 'create table ')
            ~ target ~ '.' ~ table ~ ' as select * from ' ~ source ~ '.' ~ table
        ) -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{% macro emulator_prepare_marts_shadow(live, shadow) -%}
    {%- set database = target.database -%}
    {%- set statements = [
        'drop schema if exists ' ~ database ~ '.' ~ shadow ~ ' cascade',
        'create schema ' ~ database ~ '.' ~ shadow,
    ] -%}
    {%- do statements.extend(emulator_copy_tables(deploy_schema_tables(live), database ~ '.' ~ live, database ~ '.' ~ shadow)) -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ log('prepared ' ~ shadow ~ ' as a copy of ' ~ live ~ ' (emulator: no clone)', info=true) }}
{%- endmacro %}

{% macro emulator_swap_marts(live, shadow, previous) -%}
    {%- set database = target.database -%}
    {%- set tables = deploy_schema_tables(shadow) -%}
    {%- if tables | length == 0 -%}
        {{ exceptions.raise_compiler_error('nothing to swap: ' ~ shadow ~ ' holds no tables (run the shadow build first)') }}
    {%- endif -%}
    {%- set served = deploy_schema_tables(live) -%}
    {%- set statements = [
        'create schema if not exists ' ~ database ~ '.' ~ live,
        'drop schema if exists ' ~ database ~ '.' ~ previous ~ ' cascade',
        'create schema ' ~ database ~ '.' ~ previous,
    ] -%}
    {%- do statements.extend(emulator_copy_tables(served, database ~ '.' ~ live, database ~ '.' ~ previous)) -%}
    {%- do statements.extend(emulator_copy_tables(tables, database ~ '.' ~ shadow, database ~ '.' ~ live, replace=true)) -%}
    {%- for table in served if table not in tables -%}
        {%- do statements.append('drop table ' ~ database ~ '.' ~ live ~ '.' ~ table) -%}
    {%- endfor -%}
    {%- do emulator_run_in_transaction(statements) -%}
    {%- do run_query('drop schema if exists ' ~ database ~ '.' ~ shadow ~ ' cascade') -%}
    {{ log('swapped ' ~ shadow ~ ' into ' ~ live ~ ' (emulator: copied); the previous marts are in ' ~ previous, info=true) }}
{%- endmacro %}

{#
    The rollback's scratch schema is created before the transaction and dropped after
    it: DuckDB refuses to commit a transaction that creates and drops the same table.
#}
{% macro emulator_rollback_marts(live, previous) -%}
    {%- set database = target.database -%}
    {%- set earlier = deploy_schema_tables(previous) -%}
    {%- if earlier | length == 0 -%}
        {%- do deploy_nothing_to_roll_back(previous) -%}
    {%- endif -%}
    {%- set served = deploy_schema_tables(live) -%}
    {%- set scratch = database ~ '.' ~ previous ~ '_rollback' -%}
    {%- do run_query('drop schema if exists ' ~ scratch ~ ' cascade') -%}
    {%- do run_query('create schema ' ~ scratch) -%}
    {%- set statements = emulator_copy_tables(served, database ~ '.' ~ live, scratch) -%}
    {%- do statements.extend(emulator_copy_tables(earlier, database ~ '.' ~ previous, database ~ '.' ~ live, replace=true)) -%}
    {%- for table in served if table not in earlier -%}
        {%- do statements.append('drop table ' ~ database ~ '.' ~ live ~ '.' ~ table) -%}
    {%- endfor -%}
    {%- do statements.extend([
        'drop schema ' ~ database ~ '.' ~ previous ~ ' cascade',
        'create schema ' ~ database ~ '.' ~ previous,
    ]) -%}
    {%- do statements.extend(emulator_copy_tables(served, scratch, database ~ '.' ~ previous)) -%}
    {%- do emulator_run_in_transaction(statements) -%}
    {%- do run_query('drop schema ' ~ scratch ~ ' cascade') -%}
    {{ log('rolled back: ' ~ live ~ ' serves the previous build (emulator: copied); the build it replaced is in ' ~ previous, info=true) }}
{%- endmacro %}
