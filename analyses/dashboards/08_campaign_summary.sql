-- Campaign performance: calls against asset usage per campaign (last 30 days).
select
    performance.campaign_code,
    performance.campaign_name,
    sum(performance.calls) as calls,
    sum(performance.calls_answered) as calls_answered,
    sum(performance.usage_events) as usage_events,
    max(performance.campaign_assets) as campaign_assets,
    1.0 * sum(performance.calls) / nullif(sum(performance.usage_events), 0) as calls_per_usage_event
from {{ ref('rpt_campaign_performance') }} as performance
inner join {{ ref('dim_date') }} as dates on performance.activity_date_key = dates.date_key
where dates.date_day > cast({{ dbt.dateadd('day', -30, dashboard_as_of()) }} as date)
group by performance.campaign_code, performance.campaign_name
order by calls desc
