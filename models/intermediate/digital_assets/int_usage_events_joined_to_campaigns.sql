with

usage_events as (

    select * from {{ ref('stg_bynder__usage') }}

),

assets as (

    select * from {{ ref('int_assets_marked_deleted') }}

),

campaigns as (

    select * from {{ ref('stg_bynder__campaigns') }}

),

clean_usage_events as (

    select * from usage_events
    where dq_issues is null

),

clean_campaigns as (

    select * from campaigns
    where dq_issues is null

),

joined as (

    select
        ---------- ids
        clean_usage_events.usage_id,
        clean_usage_events.asset_id,
        assets.campaign_code,
        clean_campaigns.campaign_id,
        {{ json_field_text('clean_usage_events.integration', 'id') }} as integration_id,

        ---------- strings
        {{ json_field_text('clean_usage_events.integration', 'description') }}
            as integration_name,
        clean_usage_events.usage_uri,
        clean_usage_events.usage_note,

        ---------- booleans
        assets.asset_id is not null as is_asset_known,

        ---------- timestamps
        clean_usage_events.used_at,
        clean_usage_events._loaded_at

    from clean_usage_events
    left join assets
        on clean_usage_events.asset_id = assets.asset_id
    left join clean_campaigns
        on assets.campaign_code = clean_campaigns.campaign_code

)

select * from joined
