{#
    Every record accounted for, per raw table, over all loads:

        records_reported - duplicate_deliveries - redeliveries
            = raw_records = clean_records + quarantined_records

    redeliveries are records a later load delivered again (changed since, or sent at
    an incremental window's edge): the later version replaced the earlier row.
#}

with

loads as (

    select * from {{ ref('reconciliation_loads') }}

),

summed as (

    select
        source_system,
        source_table,
        count(*) as loads,
        sum(records_reported) as records_reported,
        sum(duplicate_deliveries) as duplicate_deliveries,
        sum(exact_duplicate_copies) as exact_duplicate_copies,
        sum(stale_version_copies) as stale_version_copies,
        sum(superseded_records) as redeliveries,
        sum(current_records) as raw_records,
        sum(clean_records) as clean_records,
        sum(quarantined_records) as quarantined_records,
        sum(in_marts_records) as in_marts_records,
        min(case when is_accounted_for then 1 else 0 end) = 1 as are_loads_accounted_for,
        max(_loaded_at) as last_loaded_at
    from loads
    group by 1, 2

),

final as (

    select
        summed.*,
        summed.are_loads_accounted_for
        and summed.records_reported - summed.duplicate_deliveries - summed.redeliveries
        = summed.raw_records
        and summed.raw_records = summed.clean_records + summed.quarantined_records
        and (summed.in_marts_records is null or summed.in_marts_records = summed.clean_records)
            as is_reconciled
    from summed

)

select * from final
