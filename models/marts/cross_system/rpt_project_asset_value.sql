with

dim_project as (

    select * from {{ ref('dim_project') }}

),

budgets as (

    select * from {{ ref('int_projects_compared_to_budget') }}

),

dim_asset as (

    select * from {{ ref('dim_asset') }}

),

fact_asset_usage as (

    select * from {{ ref('fact_asset_usage') }}

),

current_projects as (

    select * from dim_project
    where
        is_current
        and project_key != {{ unknown_member_key() }}

),

{# the assets each project produced: the asset's WorkfrontProjectID metaproperty #}
current_assets as (

    select * from dim_asset
    where
        is_current
        and asset_key != {{ unknown_member_key() }}

),

assets_per_project as (

    select
        workfront_project_id as project_id,
        count(*) as assets_produced,
        sum(case when is_deleted then 1 else 0 end) as assets_removed,
        sum(case when is_archived then 1 else 0 end) as assets_archived
    from current_assets
    where workfront_project_id is not null
    group by 1

),

usage_per_project as (

    select
        current_assets.workfront_project_id as project_id,
        count(*) as usage_events,
        count(distinct fact_asset_usage.asset_id) as assets_used,
        count(distinct fact_asset_usage.integration_id) as integrations_used,
        min(fact_asset_usage.used_at) as first_used_at,
        max(fact_asset_usage.used_at) as last_used_at
    from fact_asset_usage
    inner join current_assets
        on fact_asset_usage.asset_id = current_assets.asset_id
    where current_assets.workfront_project_id is not null
    group by 1

),

valued as (

    select
        ---------- ids
        current_projects.project_key,
        current_projects.project_id,

        ---------- strings
        current_projects.project_name,
        current_projects.project_status,
        current_projects.currency,

        ---------- numerics
        current_projects.budget,
        current_projects.actual_cost as recorded_cost,
        coalesce(budgets.hours_worked, 0) as hours_worked,
        coalesce(budgets.hours_cost, 0) as hours_cost,
        budgets.budget_variance,
        coalesce(assets_per_project.assets_produced, 0) as assets_produced,
        coalesce(assets_per_project.assets_removed, 0) as assets_removed,
        coalesce(assets_per_project.assets_archived, 0) as assets_archived,
        coalesce(usage_per_project.assets_used, 0) as assets_used,
        coalesce(usage_per_project.usage_events, 0) as usage_events,
        coalesce(usage_per_project.integrations_used, 0) as integrations_used,
        case
            when coalesce(assets_per_project.assets_produced, 0) > 0
                then current_projects.actual_cost / assets_per_project.assets_produced
        end as recorded_cost_per_asset,
        case
            when coalesce(usage_per_project.usage_events, 0) > 0
                then current_projects.actual_cost / usage_per_project.usage_events
        end as recorded_cost_per_usage_event,

        ---------- booleans
        coalesce(budgets.is_over_budget, false) as is_over_budget,

        ---------- timestamps
        usage_per_project.first_used_at,
        usage_per_project.last_used_at

    from current_projects
    left join budgets
        on current_projects.project_id = budgets.project_id
    left join assets_per_project
        on current_projects.project_id = assets_per_project.project_id
    left join usage_per_project
        on current_projects.project_id = usage_per_project.project_id

)

select * from valued
