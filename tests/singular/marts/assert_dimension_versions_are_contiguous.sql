{#
    Type 2 dimensions: the versions of a key tile time. Each version ends where the
    next one starts, and only the last one is open (valid to the far future), so an
    event time finds exactly one version. One row per broken version. A micro-batch
    (var micro_batch) checks the keys with a version loaded recently (macro
    micro_batch_window).
#}
{% set dimensions = [
    ('dim_agent', 'agent_key', 'agent_id'),
    ('dim_customer', 'customer_key', 'customer_id'),
    ('dim_asset', 'asset_key', 'asset_id'),
    ('dim_project', 'project_key', 'project_id'),
] %}

with

{% for dimension, key, natural_key in dimensions %}
    {% set window = micro_batch_window(ref(dimension), '_loaded_at') %}
    {{ dimension }} as (

        select
            '{{ dimension }}' as dimension_name,
            {{ key }} as version_key,
            {{ natural_key }} as natural_key,
            valid_from,
            valid_to,
            is_current,
            lead(valid_from) over (
                partition by {{ natural_key }}
                order by valid_from
            ) as next_valid_from
        from {{ ref(dimension) }}
        where
            {{ key }} != {{ unknown_member_key() }}
        {% if window %}
            and {{ natural_key }} in (
                select {{ natural_key }} from {{ ref(dimension) }}
                where {{ window }}
            )
        {% endif %}

    ),

{% endfor %}

versions as (

    {% for dimension, key, natural_key in dimensions %}
        select * from {{ dimension }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

broken as (

    select * from versions
    where
        (next_valid_from is not null and valid_to != next_valid_from)
        or (next_valid_from is null and not is_current)
        or (next_valid_from is not null and is_current)

)

select * from broken
