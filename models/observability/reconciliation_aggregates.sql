{#
    Aggregate comparisons, staging against marts: staging_total = clean_total +
    quarantined_total, and the marts hold exactly the clean total.
#}

with

{% for item in reconciliation_aggregate_measures() %}
    {%- set float = type_double() %}
    staged_{{ loop.index }} as (

        select
            cast({{ reconciliation_aggregate(item.aggregate, item.column) }} as {{ float }})
                as staging_total,
            cast(
                {{ reconciliation_aggregate(item.aggregate, item.column, 'dq_issues is null') }}
                as {{ float }}
            ) as clean_total,
            cast(
                {{ reconciliation_aggregate(
                    item.aggregate, item.column, 'dq_issues is not null') }}
                as {{ float }}
            ) as quarantined_total
        from {{ ref(item.staging) }}

    ),

    marts_{{ loop.index }} as (

        select
            cast({{ reconciliation_aggregate(item.aggregate, item.column) }} as {{ float }})
                as marts_total
        from {{ ref(item.mart) }}

    ),

    measure_{{ loop.index }} as (

        select
            '{{ item.measure }}' as measure,
            '{{ item.staging }}' as staging_model,
            '{{ item.mart }}' as mart_model,
            staged_{{ loop.index }}.staging_total,
            staged_{{ loop.index }}.clean_total,
            staged_{{ loop.index }}.quarantined_total,
            marts_{{ loop.index }}.marts_total
        from staged_{{ loop.index }}
        cross join marts_{{ loop.index }}

    ),

{% endfor %}
unioned as (

    {% for item in reconciliation_aggregate_measures() %}
        select * from measure_{{ loop.index }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        unioned.*,
        coalesce(unioned.marts_total, 0) - coalesce(unioned.clean_total, 0) as difference,
        abs(
            coalesce(unioned.staging_total, 0)
            - coalesce(unioned.clean_total, 0)
            - coalesce(unioned.quarantined_total, 0)
        )
        <= 1e-6 * (1 + abs(coalesce(unioned.staging_total, 0)))
        and abs(coalesce(unioned.marts_total, 0) - coalesce(unioned.clean_total, 0))
        <= 1e-6 * (1 + abs(coalesce(unioned.clean_total, 0)))
            as is_reconciled
    from unioned

)

select * from final
