{#
    Freshness per monitored table, for stewards: when it last received a load (wall
    clock) and its latest event (source clock), judged against the project's
    freshness_warn_hours / freshness_error_hours.
#}
{%- set monitors = quality_monitored_tables() | selectattr('layer', 'equalto', 'staging') | list %}

with

unioned as (

    {% for monitor in monitors -%}
        {%- set parts = monitor.model.split('__') %}
        select
            '{{ parts[0][4:] }}' as source_system,
            '{{ parts[1] }}' as source_table,
            '{{ monitor.model }}' as model_name,
            count(*) as records,
            max(_loaded_at) as last_loaded_at,
            max(cast({{ monitor.timestamp_column }} as {{ dbt.type_timestamp() }}))
                as latest_event_at
        from {{ ref(monitor.model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

measured as (

    select
        unioned.*,
        -- the adapter's datediff renders on one long line
        -- noqa: disable=LT05
        {{ dbt.datediff('unioned.last_loaded_at', utc_now(), 'minute') }} / 60.0
            as hours_since_last_load
    -- noqa: enable=LT05
    from unioned

),

final as (

    select
        measured.*,
        case
            when measured.last_loaded_at is null then 'error'
            when measured.hours_since_last_load > {{ var('freshness_error_hours') }} then 'error'
            when measured.hours_since_last_load > {{ var('freshness_warn_hours') }} then 'warn'
            else 'pass'
        end as freshness_status
    from measured

)

select * from final
