with

projects as (

    select * from {{ ref('int_projects_filtered_to_live') }}

),

hours as (

    select * from {{ ref('int_time_entries_rolled_up_to_projects') }}

),

compared as (

    select
        ---------- ids
        projects.project_id,

        ---------- strings
        projects.project_name,
        projects.project_status,
        projects.currency,

        ---------- numerics
        projects.budget,
        projects.planned_cost,
        projects.actual_cost as recorded_cost,
        hours.hours_worked,
        hours.hours_cost,
        projects.budget - projects.actual_cost as budget_variance,
        case
            when projects.budget > 0
                then (projects.budget - projects.actual_cost) / projects.budget
        end as budget_variance_ratio,
        projects.budget - hours.hours_cost as budget_variance_from_hours,
        case
            when projects.budget > 0
                then (projects.budget - hours.hours_cost) / projects.budget
        end as budget_variance_from_hours_ratio,
        projects.planned_cost - projects.actual_cost as planned_cost_variance,
        projects.actual_cost - hours.hours_cost as recorded_cost_not_in_hours,

        ---------- booleans
        projects.actual_cost > projects.budget as is_over_budget,
        hours.hours_cost > projects.budget as is_over_budget_from_hours

    from projects
    inner join hours
        on projects.project_id = hours.project_id

)

select * from compared
