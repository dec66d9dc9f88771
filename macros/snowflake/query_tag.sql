{#
    Query tags on Snowflake: every statement dbt runs for a model, seed or snapshot
    carries a JSON tag (project, layer, node, target, invocation), so
    QUERY_HISTORY and warehouse costs break down by layer and model. A node's own
    `query_tag` config wins over the generated tag. The session default (before and
    between nodes) is the profile's `query_tag`.

    These override dbt-snowflake's set_query_tag / unset_query_tag (dispatched in
    the `dbt` namespace, where the root project is searched first). On the emulator
    target the tag is only logged: fakesnow does not implement
    `alter session set query_tag`. DuckDB has no query tags and never calls these.
#}

{# the tag of the node being built #}
{% macro warehouse_query_tag() -%}
    {%- set layer = model.fqn[1] if model.fqn | length > 2 else model.resource_type -%}
    {%- set tag = {
        'project': project_name,
        'layer': layer,
        'node': model.name,
        'resource_type': model.resource_type,
        'target': target.name,
        'invocation_id': invocation_id,
    } -%}
    {{ return(config.get('query_tag') or tojson(tag)) }}
{%- endmacro %}

{% macro snowflake__set_query_tag() -%}
    {%- set new_query_tag = warehouse_query_tag() -%}
    {%- if is_snowflake_emulator() -%}
        {{ log("query_tag (emulator: not set): " ~ new_query_tag) }}
        {{ return(none) }}
    {%- endif -%}
    {%- set original_query_tag = get_current_query_tag() -%}
    {%- do run_query("alter session set query_tag = '" ~ new_query_tag | replace("'", "''") ~ "'") -%}
    {{ return(original_query_tag) }}
{%- endmacro %}

{% macro snowflake__unset_query_tag(original_query_tag) -%}
    {%- if is_snowflake_emulator() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if original_query_tag -%}
        {%- do run_query("alter session set query_tag = '" ~ original_query_tag | replace("'", "''") ~ "'") -%}
    {%- else -%}
        {%- do run_query("alter session unset query_tag") -%}
    {%- endif -%}
{%- endmacro %}
