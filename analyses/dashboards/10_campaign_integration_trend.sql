-- Campaign performance: asset usage per integration and week (area chart).
select
    dates.week_start_date,
    usage.integration_name,
    count(*) as usage_events,
    count(distinct usage.asset_id) as assets_used
from {{ ref('fact_asset_usage') }} as usage
inner join {{ ref('dim_date') }} as dates on usage.used_date_key = dates.date_key
where dates.date_day > cast({{ dbt.dateadd('day', -30, dashboard_as_of()) }} as date)
group by dates.week_start_date, usage.integration_name
order by dates.week_start_date, usage.integration_name
