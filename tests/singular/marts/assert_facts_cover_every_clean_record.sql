{#
    The incremental facts hold exactly the clean records of their sources: no clean
    call, time entry or usage event is missing (an incremental run that skipped it), and
    none is extra (a record since quarantined). One row per difference.
#}
{% set facts = [
    ('fact_calls', 'call_id', 'int_calls_measured'),
    ('fact_project_hours', 'time_entry_id', 'int_time_entries_marked_deleted'),
    ('fact_asset_usage', 'usage_id', 'int_usage_events_joined_to_campaigns'),
] %}

with

{% for fact, key, upstream in facts %}
    {{ fact }}_differences as (

        select
            '{{ fact }}' as fact_name,
            coalesce(upstream.{{ key }}, fact.{{ key }}) as record_id,
            case
                when fact.{{ key }} is null then 'missing from the fact'
                else 'not a clean record'
            end as difference
        from {{ ref(upstream) }} as upstream
        full outer join {{ ref(fact) }} as fact
            on upstream.{{ key }} = fact.{{ key }}
        where upstream.{{ key }} is null or fact.{{ key }} is null

    ),

{% endfor %}

differences as (

    {% for fact, key, upstream in facts %}
        select * from {{ fact }}_differences
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from differences
