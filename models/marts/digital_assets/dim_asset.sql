{#
    Incremental: a run rebuilds the versions of the assets whose snapshot or entity
    rows changed since the newest load the dimension holds (macro scd2_changed_keys),
    deleting and inserting all versions of those assets; the unknown member is
    written by the first build (and --full-refresh) only. Equal to a full rebuild: an
    asset's versions depend only on its own rows.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='asset_id',
        on_schema_change='fail',
    )
}}

with

{# inlined where read: the changed keys' filters reach the scans #}
snapshot_rows as {{ inlined_cte() }} (

    select * from {{ ref('bynder_assets_snapshot') }}

),

asset_rows as {{ inlined_cte() }} (

    select * from {{ ref('int_assets_marked_deleted') }}

),

{% if is_incremental() %}

    {{ scd2_changed_keys('snapshot_rows', 'asset_rows', 'asset_id') }},

    assets_snapshot as (

        select snapshot_rows.*
        from snapshot_rows
        inner join scd2_changed_keys
            on snapshot_rows.asset_id = scd2_changed_keys.asset_id

    ),

    assets as (

        select asset_rows.*
        from asset_rows
        inner join scd2_changed_keys
            on asset_rows.asset_id = scd2_changed_keys.asset_id

    ),

{% else %}

    assets_snapshot as (

        select * from snapshot_rows

    ),

    assets as (

        select * from asset_rows

    ),

{% endif %}

{{ scd2_dimension_versions(
    'assets_snapshot',
    'assets',
    'asset_key',
    'asset_id',
    [
        'brand_id', 'sub_brand_id', 'workfront_project_id', 'campaign_code',
        'asset_name', 'description', 'asset_type', 'orientation', 'file_extension',
        'created_by_name', 'markets', 'channels', 'asset_status', 'asset_language',
        'usage_rights', 'product_lines', 'season', 'asset_subtype', 'file_size_bytes',
        'width', 'height', 'active_version', 'is_archived', 'is_public', 'is_limited',
        'is_watermarked', 'expires_on', 'created_at', 'modified_at', 'published_at',
    ],
) }},

known_members as (

    select
        ---------- ids
        versions.asset_key,
        versions.asset_id,
        versions.brand_id,
        versions.sub_brand_id,
        versions.workfront_project_id,
        versions.campaign_code,

        ---------- strings
        versions.asset_name,
        versions.description,
        versions.asset_type,
        versions.orientation,
        versions.file_extension,
        {{ mask_pii('versions.created_by_name', 'name') }} as created_by_name,
        versions.markets,
        versions.channels,
        versions.asset_status,
        versions.asset_language,
        versions.usage_rights,
        versions.product_lines,
        versions.season,
        versions.asset_subtype,

        ---------- numerics
        versions.file_size_bytes,
        versions.width,
        versions.height,
        versions.active_version,

        ---------- booleans
        versions.is_archived,
        versions.is_public,
        versions.is_limited,
        versions.is_watermarked,
        versions.is_current,
        versions.is_deleted,

        ---------- dates
        versions.expires_on,

        ---------- timestamps
        versions.valid_from,
        versions.valid_to,
        versions.created_at,
        versions.modified_at,
        versions.published_at,
        versions.deleted_at,
        versions._loaded_at

    from versions

),

unknown_member as (

    select
        {{ unknown_member_key() }} as asset_key,
        cast(null as {{ dbt.type_string() }}) as asset_id,
        cast(null as {{ dbt.type_string() }}) as brand_id,
        cast(null as {{ dbt.type_string() }}) as sub_brand_id,
        cast(null as {{ dbt.type_string() }}) as workfront_project_id,
        cast(null as {{ dbt.type_string() }}) as campaign_code,
        'Unknown asset' as asset_name,
        cast(null as {{ dbt.type_string() }}) as description,
        cast(null as {{ dbt.type_string() }}) as asset_type,
        cast(null as {{ dbt.type_string() }}) as orientation,
        cast(null as {{ dbt.type_string() }}) as file_extension,
        cast(null as {{ dbt.type_string() }}) as created_by_name,
        cast(null as {{ dbt.type_string() }}) as markets,
        cast(null as {{ dbt.type_string() }}) as channels,
        cast(null as {{ dbt.type_string() }}) as asset_status,
        cast(null as {{ dbt.type_string() }}) as asset_language,
        cast(null as {{ dbt.type_string() }}) as usage_rights,
        cast(null as {{ dbt.type_string() }}) as product_lines,
        cast(null as {{ dbt.type_string() }}) as season,
        cast(null as {{ dbt.type_string() }}) as asset_subtype,
        cast(null as {{ dbt.type_bigint() }}) as file_size_bytes,
        cast(null as {{ dbt.type_bigint() }}) as width,
        cast(null as {{ dbt.type_bigint() }}) as height,
        cast(null as {{ dbt.type_bigint() }}) as active_version,
        cast(null as {{ dbt.type_boolean() }}) as is_archived,
        cast(null as {{ dbt.type_boolean() }}) as is_public,
        cast(null as {{ dbt.type_boolean() }}) as is_limited,
        cast(null as {{ dbt.type_boolean() }}) as is_watermarked,
        true as is_current,
        false as is_deleted,
        cast(null as date) as expires_on,
        {{ scd_far_past() }} as valid_from,
        {{ scd_far_future() }} as valid_to,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as modified_at,
        cast(null as {{ dbt.type_timestamp() }}) as published_at,
        cast(null as {{ dbt.type_timestamp() }}) as deleted_at,
        cast(null as {{ dbt.type_timestamp() }}) as _loaded_at

),

members as (

    select * from known_members
    {% if not is_incremental() %}
        union all
        select * from unknown_member
    {% endif %}

)

select * from members
