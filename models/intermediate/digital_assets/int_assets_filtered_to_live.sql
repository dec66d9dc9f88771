with

assets as (

    select * from {{ ref('int_assets_marked_deleted') }}

),

live as (

    select
        asset_id,
        brand_id,
        sub_brand_id,
        workfront_project_id,
        campaign_code,
        asset_name,
        description,
        asset_type,
        orientation,
        file_extension,
        created_by_name,
        markets,
        channels,
        asset_status,
        asset_language,
        usage_rights,
        product_lines,
        season,
        asset_subtype,
        file_size_bytes,
        width,
        height,
        active_version,
        is_archived,
        is_public,
        is_limited,
        is_watermarked,
        expires_on,
        created_at,
        modified_at,
        published_at,
        _loaded_at
    from assets
    where not is_deleted

)

select * from live
