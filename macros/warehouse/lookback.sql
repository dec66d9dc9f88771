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
