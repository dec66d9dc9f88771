-- Project portfolio: the projects furthest over budget, with what they produced.
select
    project_name,
    project_status,
    budget,
    recorded_cost,
    budget_variance,
    hours_worked,
    assets_produced,
    usage_events,
    recorded_cost_per_usage_event
from {{ ref('rpt_project_asset_value') }}
where is_over_budget
order by budget_variance
limit 50
