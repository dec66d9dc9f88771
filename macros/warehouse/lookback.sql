{#
    The instant an incremental run reprocesses from: the newest value of `column` (a
    load time) less var `lookback_hours`, so loads that commit out of order within
    that many hours are taken in again. One expression for the incremental facts,
    `dim_asset` (scd2_changed_keys) and the micro-batch's test window.
#}
{% macro lookback_since(column) -%}
    {{ dbt.dateadd('hour', -1 * var('lookback_hours'), 'max(' ~ column ~ ')') }}
{%- endmacro %}
