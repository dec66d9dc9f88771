{#
    The tests of a micro-batch read the rows of the recent loads, not all history.

    `dbt build --selector micro_batch --vars '{micro_batch: true, ...}'` (selectors.yml)
    runs every 5 minutes; a test that reads a whole fact or dimension would cost more
    each day the warehouse holds. With var `micro_batch` set, the row-by-row tests
    (`micro_batch_windowed_tests`) of a model or snapshot whose `meta.micro_batch_window`
    names its load-time column read only the rows loaded within var `lookback_hours` of
    its newest load: every row the batch wrote or rewrote (the incremental facts
    reprocess exactly that window), plus a few earlier batches'. Unset (the complete
    build, hourly), every test reads every row. Tests that compare a whole table with
    another (dbt_utils.equality) are never windowed.
#}

{# generic tests whose result on a subset of rows is their result on those rows #}
{% macro micro_batch_windowed_tests() -%}
    {{ return([
        'unique',
        'not_null',
        'accepted_values',
        'relationships',
        'expression_is_true',
        'expect_column_values_to_be_between',
        'expect_compound_columns_to_be_unique',
        'expect_column_pair_values_A_to_be_greater_than_B',
    ]) }}
{%- endmacro %}

{#
    A condition keeping the rows of `relation` whose `column` (a load time) is within
    var `lookback_hours` of its newest value, when var `micro_batch` is set; else ''.
    The bound is read first and inlined as a literal, so DuckDB's zone maps and
    Snowflake's partition pruning skip the older rows.
#}
{% macro micro_batch_window(relation, column) -%}
    {%- if not var('micro_batch', false) or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set bound = lookback_since_literal(relation, column) -%}
    {%- if bound is none -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(column ~ ' >= ' ~ bound) }}
{%- endmacro %}

{# the window of the running test's model (meta.micro_batch_window), or '' #}
{% macro micro_batch_test_window(relation) -%}
    {%- if not var('micro_batch', false) or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set test_name = (model.get('test_metadata') or {}).get('name') -%}
    {%- if test_name not in micro_batch_windowed_tests() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.get('attached_node')) -%}
    {%- set column = (tested.config.meta or {}).get('micro_batch_window') if tested else none -%}
    {%- if not column -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(micro_batch_window(relation, column)) }}
{%- endmacro %}

{#
    dbt's own macro (the global project's default__get_where_subquery) wraps a test's
    model in `(select * from <model> where <where config>)`; this one adds the
    micro-batch window to that condition.
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set window = micro_batch_test_window(relation) -%}
    {%- if window -%}
        {%- do conditions.append(window) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}

{#
    dbt's own macro (the global project's persist_docs), skipped on a micro-batch for
    the tables a run updates in place (incremental models, snapshots): they keep the
    comments the complete build wrote, and writing them again cost each such model two
    column listings and two statements (18 staging models, 7 other incremental models and the
    snapshots, every 5 minutes). Tables a batch rebuilds get theirs as always. A model
    first built by a micro-batch gets its comments at the next complete build.
#}
{% macro persist_docs(relation, model, for_relation=true, for_columns=true) -%}
    {%- if var('micro_batch', false)
        and model.config.materialized in ('incremental', 'snapshot') -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('persist_docs', 'dbt')(relation, model, for_relation, for_columns)) }}
{%- endmacro %}
