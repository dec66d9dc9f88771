-- Campaign performance: the 20 most used assets of the last 30 days, with their campaign.
select
    assets.asset_name,
    assets.asset_type,
    usage.campaign_code,
    count(*) as usage_events,
    count(distinct usage.integration_id) as integrations
from {{ ref('fact_asset_usage') }} as usage
inner join {{ ref('dim_asset') }} as assets on usage.asset_key = assets.asset_key
where usage.used_at > {{ dbt.dateadd('day', -30, dashboard_as_of()) }}
group by assets.asset_name, assets.asset_type, usage.campaign_code
order by usage_events desc
limit 20
