{#
    A call's near-duplicate group: the calls with the same customer, agent and start
    second, nulls alike. fact_calls selects the group of a set of calls
    (near_duplicate_group) and joins calls to groups (in_near_duplicate_group); both
    state the group once, here.
#}
{% macro near_duplicate_group(relation_name) -%}
    {{ relation_name }}.customer_id,
    {{ relation_name }}.agent_id,
    {{ dbt.date_trunc('second', relation_name ~ '.started_at') }} as started_second
{%- endmacro %}

{% macro in_near_duplicate_group(calls_name, groups_name) -%}
    {{ calls_name }}.customer_id is not distinct from {{ groups_name }}.customer_id
    and {{ calls_name }}.agent_id is not distinct from {{ groups_name }}.agent_id
    and {{ dbt.date_trunc('second', calls_name ~ '.started_at') }}
    is not distinct from {{ groups_name }}.started_second
{%- endmacro %}
