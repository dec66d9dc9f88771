with

media as (

    select * from {{ ref('stg_bynder__media') }}

),

media_removed as (

    select * from {{ ref('stg_bynder__media_removed') }}

),

clean_media as (

    select * from media
    where dq_issues is null

),

clean_removals as (

    select * from media_removed
    where dq_issues is null

),

marked as (

    select
        ---------- ids
        clean_media.asset_id,
        clean_media.brand_id,
        clean_media.sub_brand_id,
        clean_media.mp_workfront_project_id as workfront_project_id,
        clean_media.mp_campaign as campaign_code,

        ---------- strings
        clean_media.asset_name,
        clean_media.description,
        clean_media.asset_type,
        clean_media.orientation,
        {{ json_array_element_text('clean_media.extension', 0) }} as file_extension,
        clean_media.created_by_name,
        {{ json_array_join('clean_media.mp_market', '|') }} as markets,
        {{ json_array_join('clean_media.mp_channel', '|') }} as channels,
        {{ json_array_join('clean_media.mp_asset_status', '|') }} as asset_status,
        {{ json_array_join('clean_media.mp_language', '|') }} as asset_language,
        {{ json_array_join('clean_media.mp_usage_rights', '|') }} as usage_rights,
        {{ json_array_join('clean_media.mp_product_line', '|') }} as product_lines,
        {{ json_array_join('clean_media.mp_season', '|') }} as season,
        {{ json_array_join('clean_media.mp_asset_subtype', '|') }} as asset_subtype,
        clean_removals.removed_by_name,

        ---------- numerics
        clean_media.file_size_bytes,
        clean_media.width,
        clean_media.height,
        clean_media.active_version,

        ---------- booleans
        clean_media.is_archived,
        clean_media.is_public,
        clean_media.is_limited,
        clean_media.is_watermarked,
        clean_removals.asset_id is not null as is_deleted,

        ---------- dates
        clean_media.mp_expiry_date as expires_on,

        ---------- timestamps
        clean_media.created_at,
        clean_media.modified_at,
        clean_media.published_at,
        clean_removals.removed_at as deleted_at,
        clean_media._loaded_at,
        clean_removals._loaded_at as _deletion_loaded_at

    from clean_media
    left join clean_removals
        on clean_media.asset_id = clean_removals.asset_id

)

select * from marked
