{#
    Schemas are named by layer (staging, intermediate, marts, snapshots, reference,
    observability, quarantine) on every target, so the DuckDB file and the Snowflake
    database read the same. Isolate developers on Snowflake with separate databases
    (SNOWFLAKE_DATABASE), not schema prefixes.

    The blue-green deploy (orchestration/deploy.py) builds the marts into a shadow
    schema: with `--vars '{shadow_marts: true}'` the marts layer goes to
    `marts_shadow` (macro marts_shadow_schema), every other layer stays where it is.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif custom_schema_name | trim == 'marts' and var('shadow_marts', false) -%}
        {{ marts_shadow_schema() }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
