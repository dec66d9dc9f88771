{#
    Blue-green deploy of the marts (orchestration/deploy.py, `make deploy`):

    1. prepare_marts_shadow(): the shadow schema starts as a copy of the served marts,
       so incremental facts build their delta as they do in place;
    2. `dbt build --vars '{shadow_marts: true}'` builds and tests the marts there
       (generate_schema_name);
    3. swap_marts(), only when every error-severity test passed: the shadow becomes
       the served marts in one atomic step, and the marts served until then are kept
       in `marts_previous`;
    4. rollback_marts() (`python -m orchestration.deploy --rollback`): the served marts
       and `marts_previous` trade places in one atomic step, so the previous build is
       served again (and a second rollback rolls forward). Refused when there is no
       previous build. A failed deploy never touches `marts_previous`.

    Snowflake: a zero-copy clone, then `alter schema ... swap with ...` (one atomic
    metadata operation), the old marts renamed to `marts_previous`.
    DuckDB cannot rename a schema or move a table to another one; its DDL is
    transactional, so the swap copies every served table to `marts_previous` and
    replaces it with its shadow copy inside one transaction: a reader sees all the
    previous marts or all the new ones.
#}

{% macro marts_schema() -%}
    {{ return('marts') }}
{%- endmacro %}

{% macro marts_shadow_schema() -%}
    {{ return('marts_shadow') }}
{%- endmacro %}

{% macro marts_previous_schema() -%}
    {{ return('marts_previous') }}
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
    {%- if is_snowflake_emulator() -%}
        {{ return(emulator_prepare_marts_shadow(live, shadow)) }}
    {%- endif -%}
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
    {{ return(adapter.dispatch('swap_marts')(marts_schema(), marts_shadow_schema(), marts_previous_schema())) }}
{%- endmacro %}

{#
    DuckDB's comments (persist_docs) of the tables of some schemas, as
    {'schema.table': [statement templates with __TARGET__ for the copy's name]}:
    a copy made with `create table ... as select` carries them over.
#}
{% macro duckdb_deploy_comments(schemas) -%}
    {%- set listed = "'" ~ (schemas | join("', '")) ~ "'" -%}
    {%- set sql -%}
        select schema_name, lower(table_name), null as column_name, comment
        from duckdb_tables()
        where database_name = '{{ target.database }}' and schema_name in ({{ listed }})
            and comment is not null
        union all
        select schema_name, lower(table_name), column_name, comment
        from duckdb_columns()
        where database_name = '{{ target.database }}' and schema_name in ({{ listed }})
            and comment is not null
    {%- endset -%}
    {%- set comments = {} -%}
    {%- if not execute -%}{{ return(comments) }}{%- endif -%}
    {%- for row in run_query(sql) -%}
        {%- set key = row[0] ~ '.' ~ row[1] -%}
        {%- set text = dbt.string_literal(row[3] | replace("'", "''")) -%}
        {%- if row[2] is none -%}
            {%- set statement = 'comment on table __TARGET__ is ' ~ text -%}
        {%- else -%}
            {%- set statement = 'comment on column __TARGET__.' ~ adapter.quote(row[2]) ~ ' is ' ~ text -%}
        {%- endif -%}
        {%- do comments.setdefault(key, []).append(statement) -%}
    {%- endfor -%}
    {{ return(comments) }}
{%- endmacro %}

{# statements copying a table (its comments too) to a new or replaced table #}
{% macro duckdb_copy_table(comments, source_key, source, target) -%}
    {%- set statements = ['create or replace table ' ~ target ~ ' as select * from ' ~ source] -%}
    {%- for statement in comments.get(source_key, []) -%}
        {%- do statements.append(statement | replace('__TARGET__', target)) -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    DuckDB: one transaction copies every served table to the previous schema and
    replaces it with its shadow copy (comments included); served tables the new build
    no longer has are dropped. Then the shadow is dropped. DuckDB's MVCC shows a
    reader either every previous table or every new one, never a mix.
#}
{% macro default__swap_marts(live, shadow, previous) -%}
    {%- set tables = deploy_schema_tables(shadow) -%}
    {%- if tables | length == 0 -%}
        {{ exceptions.raise_compiler_error('nothing to swap: ' ~ shadow ~ ' holds no tables (run the shadow build first)') }}
    {%- endif -%}
    {%- set served = deploy_schema_tables(live) -%}
    {%- set comments = duckdb_deploy_comments([live, shadow]) -%}
    {%- set statements = [
        'begin transaction',
        'create schema if not exists ' ~ live,
        'drop schema if exists ' ~ previous ~ ' cascade',
        'create schema ' ~ previous,
    ] -%}
    {%- for table in served -%}
        {%- do statements.extend(duckdb_copy_table(comments, live ~ '.' ~ table, live ~ '.' ~ table, previous ~ '.' ~ table)) -%}
    {%- endfor -%}
    {%- for table in tables -%}
        {%- do statements.extend(duckdb_copy_table(comments, shadow ~ '.' ~ table, shadow ~ '.' ~ table, live ~ '.' ~ table)) -%}
    {%- endfor -%}
    {%- for table in served if table not in tables -%}
        {%- do statements.append('drop table ' ~ live ~ '.' ~ table) -%}
    {%- endfor -%}
    {%- do statements.append('commit') -%}
    {%- do run_query(statements | join(';\n')) -%}
    {%- do run_query('drop schema if exists ' ~ shadow ~ ' cascade') -%}
    {{ log('swapped ' ~ shadow ~ ' into ' ~ live ~ ' (' ~ tables | join(', ') ~ '); the previous marts are in ' ~ previous, info=true) }}
{%- endmacro %}

{#
    Snowflake: one atomic metadata operation (the emulator, which has no schema swap,
    copies: macros/snowflake_emulator/emulator.sql). The previous marts then hold the shadow's
    name; they are renamed to the previous schema for a rollback (after the swap: the
    rename touches only what readers no longer see).
#}
{% macro snowflake__swap_marts(live, shadow, previous) -%}
    {%- if is_snowflake_emulator() -%}
        {{ return(emulator_swap_marts(live, shadow, previous)) }}
    {%- endif -%}
    {%- set database = target.database -%}
    {%- if adapter.check_schema_exists(database, live) -%}
        {%- do run_query('alter schema ' ~ database ~ '.' ~ shadow ~ ' swap with ' ~ database ~ '.' ~ live) -%}
        {%- do run_query('drop schema if exists ' ~ database ~ '.' ~ previous) -%}
        {%- do run_query('alter schema ' ~ database ~ '.' ~ shadow ~ ' rename to ' ~ database ~ '.' ~ previous) -%}
    {%- else -%}
        {%- do run_query('alter schema ' ~ database ~ '.' ~ shadow ~ ' rename to ' ~ database ~ '.' ~ live) -%}
    {%- endif -%}
    {{ log('swapped ' ~ shadow ~ ' with ' ~ live ~ '; the previous marts are in ' ~ previous, info=true) }}
{%- endmacro %}

{# ----------------------------------------------------------------- rollback #}
{% macro rollback_marts() -%}
    {{ return(adapter.dispatch('rollback_marts')(marts_schema(), marts_previous_schema())) }}
{%- endmacro %}

{% macro deploy_nothing_to_roll_back(previous) -%}
    {{ exceptions.raise_compiler_error(
        'nothing to roll back to: ' ~ previous ~ ' holds no previous build '
        ~ '(no deploy has swapped in this warehouse yet); the served marts are unchanged'
    ) }}
{%- endmacro %}

{#
    DuckDB: one transaction trades the tables of the served and the previous schema
    (each copied once: the previous tables are first renamed inside their schema),
    comments included. A reader sees all of one build or all of the other.
#}
{% macro default__rollback_marts(live, previous) -%}
    {%- set earlier = deploy_schema_tables(previous) -%}
    {%- if earlier | length == 0 -%}
        {%- do deploy_nothing_to_roll_back(previous) -%}
    {%- endif -%}
    {%- set served = deploy_schema_tables(live) -%}
    {%- set comments = duckdb_deploy_comments([live, previous]) -%}
    {%- set statements = ['begin transaction'] -%}
    {%- for table in earlier -%}
        {%- do statements.append('alter table ' ~ previous ~ '.' ~ table ~ ' rename to ' ~ table ~ '__rollback') -%}
    {%- endfor -%}
    {%- for table in served -%}
        {%- do statements.extend(duckdb_copy_table(comments, live ~ '.' ~ table, live ~ '.' ~ table, previous ~ '.' ~ table)) -%}
    {%- endfor -%}
    {%- for table in earlier -%}
        {%- do statements.extend(duckdb_copy_table(comments, previous ~ '.' ~ table, previous ~ '.' ~ table ~ '__rollback', live ~ '.' ~ table)) -%}
        {%- do statements.append('drop table ' ~ previous ~ '.' ~ table ~ '__rollback') -%}
    {%- endfor -%}
    {%- for table in served if table not in earlier -%}
        {%- do statements.append('drop table ' ~ live ~ '.' ~ table) -%}
    {%- endfor -%}
    {%- do statements.append('commit') -%}
    {%- do run_query(statements | join(';\n')) -%}
    {{ log('rolled back: ' ~ live ~ ' serves the previous build (' ~ earlier | join(', ') ~ '); the build it replaced is in ' ~ previous, info=true) }}
{%- endmacro %}

{# Snowflake: one atomic metadata operation, the same as the deploy's swap #}
{% macro snowflake__rollback_marts(live, previous) -%}
    {%- if is_snowflake_emulator() -%}
        {{ return(emulator_rollback_marts(live, previous)) }}
    {%- endif -%}
    {%- set database = target.database -%}
    {%- if not adapter.check_schema_exists(database, previous) -%}
        {%- do deploy_nothing_to_roll_back(previous) -%}
    {%- endif -%}
    {%- do run_query('alter schema ' ~ database ~ '.' ~ previous ~ ' swap with ' ~ database ~ '.' ~ live) -%}
    {{ log('rolled back: ' ~ live ~ ' serves the previous build; the build it replaced is in ' ~ previous, info=true) }}
{%- endmacro %}
