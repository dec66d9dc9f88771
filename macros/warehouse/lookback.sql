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
    The least `column` of the rows `query` returns, read before the model runs and
    inlined as a timestamp literal; the far future when there are none (so a filter
    `>=` it keeps nothing). A literal bound reaches the table scan under any join. A
    bound read by a subquery reaches it only when the database probes the join with
    that table, not when it builds the join from it (docs/performance.md).
#}
{% macro oldest_timestamp_literal(query, column) -%}
    {%- if not execute -%}
        {{ return(scd_far_future()) }}
    {%- endif -%}
    {%- set oldest_query -%}
        select min({{ column }}) from ({{ query }}) as rows_to_bound
    {%- endset -%}
    {%- set oldest = run_query(oldest_query).columns[0].values()[0] -%}
    {%- if oldest is none -%}
        {{ return(scd_far_future()) }}
    {%- endif -%}
    {{ return('cast(' ~ sql_string(oldest | string) ~ ' as ' ~ dbt.type_timestamp() ~ ')') }}
{%- endmacro %}
