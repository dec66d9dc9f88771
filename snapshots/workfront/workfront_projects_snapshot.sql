{#
    A SQL snapshot, as bynder_assets_snapshot: its query reads the snapshot itself to
    take only the projects touched since its last run (macro snapshot_changed_records),
    so a 5-minute run costs the change, not the portfolio. Workfront has no deletion
    feed for projects (entities=none): a project leaves the live model only when its
    latest row is quarantined. Its description and columns are in
    workfront_projects_snapshot.yml.
#}
{% snapshot workfront_projects_snapshot %}

{{
    config(
        unique_key='project_id',
        strategy='timestamp',
        updated_at='version_updated_at',
        hard_deletes='ignore',
        dbt_valid_to_current="cast('" ~ var('scd_far_future') ~ "' as timestamp)",
    )
}}

{{ snapshot_changed_records(
    live=ref('int_projects_filtered_to_live'),
    entities=none,
    records=ref('stg_workfront__projects'),
    unique_key='project_id',
    source_updated_at='updated_at',
) }}

{% endsnapshot %}
