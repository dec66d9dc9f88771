{#
    A SQL snapshot, as bynder_assets_snapshot: its query reads the snapshot itself to
    take only the customers touched since its last run (macro snapshot_changed_records),
    so a 5-minute run costs the change, not the customer base. Its description and
    columns are in webphone_customers_snapshot.yml. Deletions are rows of the query,
    hence hard_deletes 'ignore'.
#}
{% snapshot webphone_customers_snapshot %}

{{
    config(
        unique_key='customer_id',
        strategy='timestamp',
        updated_at='version_updated_at',
        hard_deletes='ignore',
        dbt_valid_to_current="cast('" ~ var('scd_far_future') ~ "' as timestamp)",
    )
}}

{{ snapshot_changed_records(
    live=ref('int_customers_filtered_to_live'),
    entities=ref('int_customers_marked_deleted'),
    records=ref('stg_webphone__customers'),
    unique_key='customer_id',
    source_updated_at='updated_at',
) }}

{% endsnapshot %}
