{#
    Blue-green deploy of the marts (orchestration/deploy.py, `make deploy`):

    1. prepare_marts_shadow(): the shadow schema starts as a copy of the served marts,
       so incremental facts build their delta as they do in place;
    2. `dbt build --vars '{shadow_marts: true}'` builds and tests the marts there
       (generate_schema_name);
    3. swap_marts(), only when every error-severity test passed: the shadow becomes
       the served marts in one atomic step.

    Snowflake: a zero-copy clone, then `alter schema ... swap with ...` (one atomic
    metadata operation; the previous marts stay in the shadow schema for a rollback).
    DuckDB cannot rename a schema or move a table to another one; its DDL is
    transactional, so the swap replaces every served table with its shadow copy inside
    one transaction: a reader sees all the previous marts or all the new ones.
#}

{% macro marts_schema() -%}
    {{ return('marts') }}
{%- endmacro %}

{% macro marts_shadow_schema() -%}
    {{ return('marts_shadow') }}
{%- endmacro %}

{# tables (not views) of a schema of the target database, lower-case names #}
{% macro deploy_schema_tables(schema) -%}
    {%- set sql -%}
        select lower(table_name) as table_name
        from {{ deploy_information_schema() }}.tables
        where lower(table_schema) = '{{ schema | lower }}'
            and table_type in ('BASE TABLE', 'BASE_TABLE')
            {{ deploy_catalog_filter() }}
        order by 1
    {%- endset -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {{ return(run_query(sql).columns[0].values() | list) }}
{%- endmacro %}

{% macro deploy_information_schema() -%}
    {{ return(adapter.dispatch('deploy_information_schema')()) }}
{%- endmacro %}

{% macro default__deploy_information_schema() -%}
    {{ return('information_schema') }}
{%- endmacro %}

{% macro snowflake__deploy_information_schema() -%}
    {{ return(target.database ~ '.information_schema') }}
{%- endmacro %}

{% macro deploy_catalog_filter() -%}
    {{ return(adapter.dispatch('deploy_catalog_filter')()) }}
{%- endmacro %}

{% macro default__deploy_catalog_filter() -%}
    {{ return("and table_catalog = '" ~ target.database ~ "'") }}
{%- endmacro %}

{% macro snowflake__deploy_catalog_filter() -%}
    {{ return('') }}
{%- endmacro %}

{# ------------------------------------------------------------------ prepare #}
{% macro prepare_marts_shadow() -%}
    {{ return(adapter.dispatch('prepare_marts_shadow')(marts_schema(), marts_shadow_schema())) }}
{%- endmacro %}

{% macro default__prepare_marts_shadow(live, shadow) -%}
    {%- set statements = [
        'drop schema if exists ' ~ shadow ~ ' cascade',
        'create schema ' ~ shadow,
    ] -%}
    {%- for table in deploy_schema_tables(live) -%}
        {%- do statements.append(
            'create table ' ~ shadow ~ '.' ~ table ~ ' as select * from ' ~ live ~ '.' ~ table
        ) -%}
    {%- endfor -%}
    {%- do run_query(statements | join(';\n')) -%}
    {{ log('prepared ' ~ shadow ~ ' as a copy of ' ~ live ~ ' (' ~ (statements | length - 2) ~ ' tables)', info=true) }}
{%- endmacro %}

{% macro snowflake__prepare_marts_shadow(live, shadow) -%}
    {%- set database = target.database -%}
    {%- if adapter.check_schema_exists(database, live) -%}
        {%- do run_query('create or replace schema ' ~ database ~ '.' ~ shadow ~ ' clone ' ~ database ~ '.' ~ live) -%}
    {%- else -%}
        {%- do run_query('create or replace schema ' ~ database ~ '.' ~ shadow) -%}
    {%- endif -%}
    {{ log('prepared ' ~ shadow ~ ' as a clone of ' ~ live, info=true) }}
{%- endmacro %}

{# --------------------------------------------------------------------- swap #}
{% macro swap_marts() -%}
    {{ return(adapter.dispatch('swap_marts')(marts_schema(), marts_shadow_schema())) }}
{%- endmacro %}

{#
    DuckDB: one transaction replaces every served table with its shadow copy and
    carries the comments (persist_docs) over; then the shadow is dropped. DuckDB's
    MVCC shows a reader either every previous table or every new one, never a mix.
#}
{% macro default__swap_marts(live, shadow) -%}
    {%- set tables = deploy_schema_tables(shadow) -%}
    {%- if tables | length == 0 -%}
        {{ exceptions.raise_compiler_error('nothing to swap: ' ~ shadow ~ ' holds no tables (run the shadow build first)') }}
    {%- endif -%}
    {%- set comments_sql -%}
        select lower(table_name) as table_name, comment
        from duckdb_tables()
        where database_name = '{{ target.database }}' and schema_name = '{{ shadow }}'
            and comment is not null
    {%- endset -%}
    {%- set column_comments_sql -%}
        select lower(table_name) as table_name, column_name, comment
        from duckdb_columns()
        where database_name = '{{ target.database }}' and schema_name = '{{ shadow }}'
            and comment is not null
    {%- endset -%}
    {%- set statements = ['begin transaction', 'create schema if not exists ' ~ live] -%}
    {%- for table in tables -%}
        {%- do statements.append(
            'create or replace table ' ~ live ~ '.' ~ table ~ ' as select * from ' ~ shadow ~ '.' ~ table
        ) -%}
    {%- endfor -%}
    {%- for row in run_query(comments_sql) -%}
        {%- do statements.append(
            'comment on table ' ~ live ~ '.' ~ row[0] ~ ' is ' ~ dbt.string_literal(row[1] | replace("'", "''"))
        ) -%}
    {%- endfor -%}
    {%- for row in run_query(column_comments_sql) -%}
        {%- do statements.append(
            'comment on column ' ~ live ~ '.' ~ row[0] ~ '.' ~ adapter.quote(row[1]) ~ ' is ' ~ dbt.string_literal(row[2] | replace("'", "''"))
        ) -%}
    {%- endfor -%}
    {%- do statements.append('commit') -%}
    {%- do run_query(statements | join(';\n')) -%}
    {%- do run_query('drop schema if exists ' ~ shadow ~ ' cascade') -%}
    {{ log('swapped ' ~ shadow ~ ' into ' ~ live ~ ': ' ~ tables | join(', '), info=true) }}
{%- endmacro %}

{#
    Snowflake: one atomic metadata operation. The previous marts stay in the shadow
    schema (a rollback is the same swap again) until the next deploy replaces them.
    fakesnow (the emulator) does not implement SWAP WITH: there the macro compiles,
    and the statement is refused by the emulator.
#}
{% macro snowflake__swap_marts(live, shadow) -%}
    {%- set database = target.database -%}
    {%- if adapter.check_schema_exists(database, live) -%}
        {%- do run_query('alter schema ' ~ database ~ '.' ~ shadow ~ ' swap with ' ~ database ~ '.' ~ live) -%}
    {%- else -%}
        {%- do run_query('alter schema ' ~ database ~ '.' ~ shadow ~ ' rename to ' ~ database ~ '.' ~ live) -%}
    {%- endif -%}
    {{ log('swapped ' ~ shadow ~ ' with ' ~ live, info=true) }}
{%- endmacro %}
