with

fact_calls as (

    select * from {{ ref('fact_calls') }}

),

fact_asset_usage as (

    select * from {{ ref('fact_asset_usage') }}

),

dim_campaign as (

    select * from {{ ref('dim_campaign') }}

),

dim_asset as (

    select * from {{ ref('dim_asset') }}

),

calls_per_campaign_day as (

    select
        campaign_key,
        call_date_key as activity_date_key,
        count(*) as calls,
        sum(case when is_answered then 1 else 0 end) as calls_answered,
        sum(case when is_abandoned then 1 else 0 end) as calls_abandoned,
        sum(talk_seconds) as talk_seconds,
        avg(handle_seconds) as average_handle_seconds
    from fact_calls
    where
        campaign_key is not null
        and not is_deleted
        and not is_near_duplicate
    group by 1, 2

),

usage_per_campaign_day as (

    select
        campaign_key,
        used_date_key as activity_date_key,
        count(*) as usage_events,
        count(distinct asset_id) as assets_used,
        count(distinct integration_id) as integrations_used
    from fact_asset_usage
    where campaign_key is not null
    group by 1, 2

),

{# live assets tagged with each campaign, as of now (a campaign-level figure) #}
assets_per_campaign as (

    select
        dim_campaign.campaign_key,
        count(*) as campaign_assets
    from dim_asset
    inner join dim_campaign
        on dim_asset.campaign_code = dim_campaign.campaign_code
    where
        dim_asset.is_current
        and not dim_asset.is_deleted
    group by 1

),

campaign_day_candidates as (

    select
        campaign_key,
        activity_date_key
    from calls_per_campaign_day
    union all
    select
        campaign_key,
        activity_date_key
    from usage_per_campaign_day

),

campaign_days as (

    select distinct
        campaign_key,
        activity_date_key
    from campaign_day_candidates

),

performance as (

    select
        ---------- ids
        {{ dbt_utils.generate_surrogate_key([
            'campaign_days.campaign_key', 'campaign_days.activity_date_key'
        ]) }} as campaign_day_key,
        campaign_days.campaign_key,
        campaign_days.activity_date_key,
        dim_campaign.campaign_code,

        ---------- strings
        dim_campaign.campaign_name,

        ---------- numerics
        coalesce(calls_per_campaign_day.calls, 0) as calls,
        coalesce(calls_per_campaign_day.calls_answered, 0) as calls_answered,
        coalesce(calls_per_campaign_day.calls_abandoned, 0) as calls_abandoned,
        coalesce(calls_per_campaign_day.talk_seconds, 0) as talk_seconds,
        calls_per_campaign_day.average_handle_seconds,
        coalesce(usage_per_campaign_day.usage_events, 0) as usage_events,
        coalesce(usage_per_campaign_day.assets_used, 0) as assets_used,
        coalesce(usage_per_campaign_day.integrations_used, 0) as integrations_used,
        coalesce(assets_per_campaign.campaign_assets, 0) as campaign_assets,
        case
            when coalesce(usage_per_campaign_day.usage_events, 0) > 0
                then 1.0 * coalesce(calls_per_campaign_day.calls, 0)
                    / usage_per_campaign_day.usage_events
        end as calls_per_usage_event,

        ---------- booleans
        coalesce(dim_campaign.is_closed, false) as is_campaign_closed

    from campaign_days
    inner join dim_campaign
        on campaign_days.campaign_key = dim_campaign.campaign_key
    left join calls_per_campaign_day
        on
            campaign_days.campaign_key = calls_per_campaign_day.campaign_key
            and campaign_days.activity_date_key = calls_per_campaign_day.activity_date_key
    left join usage_per_campaign_day
        on
            campaign_days.campaign_key = usage_per_campaign_day.campaign_key
            and campaign_days.activity_date_key = usage_per_campaign_day.activity_date_key
    left join assets_per_campaign
        on campaign_days.campaign_key = assets_per_campaign.campaign_key

)

select * from performance
