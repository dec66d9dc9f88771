{#
    The instant the dashboards' queries (analyses/dashboards/) count back from: now,
    unless var `dashboard_as_of` pins it (the benchmark pins it to the sandbox's
    simulated clock, `--vars '{dashboard_as_of: "2026-11-02 00:00:00"}'`).
#}
{% macro dashboard_as_of() -%}
    {%- set as_of = var('dashboard_as_of', none) -%}
    {%- if as_of -%}
        cast('{{ as_of }}' as timestamp)
    {%- else -%}
        {{ dbt.current_timestamp() }}
    {%- endif -%}
{%- endmacro %}
