-- Project portfolio: cost per asset and per usage event by project type and region.
select
    projects.project_type,
    projects.region,
    count(*) as projects,
    sum(value.recorded_cost) as recorded_cost,
    sum(value.assets_produced) as assets_produced,
    sum(value.usage_events) as usage_events,
    sum(value.recorded_cost) / nullif(sum(value.usage_events), 0) as cost_per_usage_event
from {{ ref('rpt_project_asset_value') }} as value
inner join {{ ref('dim_project') }} as projects
    on value.project_key = projects.project_key
where projects.is_current
group by projects.project_type, projects.region
order by recorded_cost desc
