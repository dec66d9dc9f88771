{#
    `<name> as {{ inlined_cte() }} (...)`: a CTE the database expands where it is read
    instead of computing it whole once. DuckDB computes a CTE read more than once whole
    (materialized), so a filter or join applied where it is read cannot reach the table
    scan: an import CTE of a large table, read by an incremental run's filter and again
    by its body, would cost the whole table. Snowflake inlines CTEs by itself.
#}
{% macro inlined_cte() -%}
    {{ return(adapter.dispatch('inlined_cte')()) }}
{%- endmacro %}

{% macro default__inlined_cte() -%}
{%- endmacro %}

{% macro duckdb__inlined_cte() -%}
    not materialized
{%- endmacro %}
