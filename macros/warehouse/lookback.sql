{#
    The instant an incremental run reprocesses from: the newest value of `column` (a
    load time) less var `lookback_hours`. Staging takes in loads in load order, so the
    lookback is a sweep: the complete build re-reads that many hours, the 5-minute
    micro-batch passes 0 (the newest processed load is read again either way). One
    expression for the incremental facts, `dim_asset` (scd2_changed_keys) and the
    micro-batch's test window.
#}
{% macro lookback_since(column) -%}
    {{ dbt.dateadd('hour', -1 * var('lookback_hours'), 'max(' ~ column ~ ')') }}
{%- endmacro %}

{#
    The later of a row's load time and its tombstone's (null when it has no tombstone):
    the load that last changed the record, which the incremental models downstream
    compare with their watermark. A case expression, not greatest(): Snowflake's
    greatest() is null when either argument is.
#}
{% macro later_loaded_at(row_loaded_at, tombstone_loaded_at) -%}
    case
        when {{ tombstone_loaded_at }} > {{ row_loaded_at }} then {{ tombstone_loaded_at }}
        else {{ row_loaded_at }}
    end
{%- endmacro %}

{# a timestamp read by run_query, as a literal of the target's timestamp type #}
{% macro timestamp_literal(value) -%}
    {{ return('cast(' ~ sql_string(value | string) ~ ' as ' ~ dbt.type_timestamp() ~ ')') }}
{%- endmacro %}

{#
    lookback_since over `column` of the table `relation`, read before the model runs
    and returned as a timestamp literal (none when the table has no rows). A comparison
    with a literal is a filter the database applies in the table scan. DuckDB plans one
    with a value read by a subquery as a join whose size it guesses, and on that guess
    can build a hash table from the larger side. Where `relation` is not a table (a unit
    test gives `this` as a fixture), the same value as a subquery.
#}
{% macro lookback_since_literal(relation, column) -%}
    {%- set since_query -%}
        select {{ lookback_since(column) }}
        from {{ relation }}
    {%- endset -%}
    {%- if relation is string or load_relation(relation) is none -%}
        {{ return('(' ~ since_query ~ ')') }}
    {%- endif -%}
    {%- set since = run_query(since_query).columns[0].values()[0] -%}
    {{ return(none if since is none else timestamp_literal(since)) }}
{%- endmacro %}

{#
    The instant an incremental model's run reprocesses from: lookback_since over the
    model's own `column` (its table's newest load), as a literal
    (lookback_since_literal); the far past when the table is empty.
#}
{% macro reprocess_loaded_since(column='_source_loaded_at') -%}
    {%- if not execute -%}
        {{ return(scd_far_past()) }}
    {%- endif -%}
    {{ return(lookback_since_literal(this, column) or scd_far_past()) }}
{%- endmacro %}

{#
    The least `column` of the rows `query` returns, read before the model runs and
    inlined as a timestamp literal; the far future when there are none (so a filter
    `>=` it keeps nothing). A literal bound reaches the table scan under any join. A
    bound read by a subquery reaches it only when the database probes the join with
    that table, not when it builds the join from it (docs/performance.md). Where the
    model's `this` is not a table (a unit test's fixture, which `query` may read), the
    same value as a subquery.
#}
{% macro oldest_timestamp_literal(query, column) -%}
    {%- if not execute -%}
        {{ return(scd_far_future()) }}
    {%- endif -%}
    {%- set oldest_query -%}
        select min({{ column }}) from ({{ query }}) as rows_to_bound
    {%- endset -%}
    {%- if this is string or load_relation(this) is none -%}
        {{ return('(' ~ oldest_query ~ ')') }}
    {%- endif -%}
    {%- set oldest = run_query(oldest_query).columns[0].values()[0] -%}
    {{ return(scd_far_future() if oldest is none else timestamp_literal(oldest)) }}
{%- endmacro %}
