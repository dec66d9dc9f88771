with

quarantined as (

    {{ quarantined_rows('bynder') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'source_table', "'|'", "coalesce(record_key, '')", "'|'", '_dlt_load_id'
        ])) }} as quarantine_id,
        source_system,
        source_table,
        staging_model,
        record_key,
        dq_issues,
        1 + (length(dq_issues) - length(replace(dq_issues, '; ', ''))) / 2 as issue_count,
        _raw_record,
        _dlt_load_id,
        _loaded_at,
        {{ utc_now() }} as quarantined_at
    from quarantined

)

select * from final
