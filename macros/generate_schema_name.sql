{#
    Schemas are named by layer (staging, intermediate, marts, snapshots, reference,
    observability, quarantine) on every target, so the DuckDB file and the Snowflake
    database read the same. Isolate developers on Snowflake with separate databases
    (SNOWFLAKE_DATABASE), not schema prefixes.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
