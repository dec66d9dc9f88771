{#
    A SQL snapshot, not YAML: its query reads the snapshot itself ({{ this }}) to take
    only the assets touched since its last run (macro snapshot_changed_records), so a
    5-minute run costs the change, not the history. Its description and columns are in
    bynder_assets_snapshot.yml. Deletions are rows of the query, hence hard_deletes
    'ignore'.
#}
{% snapshot bynder_assets_snapshot %}

{{
    config(
        unique_key='asset_id',
        strategy='timestamp',
        updated_at='version_updated_at',
        hard_deletes='ignore',
        dbt_valid_to_current="cast('" ~ var('scd_far_future') ~ "' as timestamp)",
    )
}}

{{ snapshot_changed_records(
    live=ref('int_assets_filtered_to_live'),
    entities=ref('int_assets_marked_deleted'),
    records=ref('stg_bynder__media'),
    unique_key='asset_id',
    source_updated_at='modified_at',
) }}

{% endsnapshot %}
