with

projects as (

    select * from {{ ref('int_projects_filtered_to_live') }}

),

time_entries as (

    select * from {{ ref('int_time_entries_marked_deleted') }}

),

tasks as (

    select * from {{ ref('int_time_entries_rolled_up_to_tasks') }}

),

hours_per_project as (

    select
        project_id,
        count(*) as time_entries,
        count(distinct task_id) as tasks_with_hours,
        count(distinct user_id) as users_logging_hours,
        sum(hours_worked) as hours_worked,
        sum(case when is_approved then hours_worked else 0 end) as hours_approved,
        sum(actual_cost) as hours_cost,
        min(worked_date) as first_worked_date,
        max(worked_date) as last_worked_date
    from time_entries
    where not is_deleted
    group by 1

),

tasks_per_project as (

    select
        project_id,
        count(*) as task_count,
        sum(planned_hours) as planned_task_hours
    from tasks
    group by 1

),

rolled_up as (

    select
        ---------- ids
        projects.project_id,

        ---------- numerics
        coalesce(tasks_per_project.task_count, 0) as task_count,
        coalesce(hours_per_project.tasks_with_hours, 0) as tasks_with_hours,
        coalesce(hours_per_project.time_entries, 0) as time_entries,
        coalesce(hours_per_project.users_logging_hours, 0) as users_logging_hours,
        coalesce(tasks_per_project.planned_task_hours, 0) as planned_task_hours,
        coalesce(hours_per_project.hours_worked, 0) as hours_worked,
        coalesce(hours_per_project.hours_approved, 0) as hours_approved,
        coalesce(hours_per_project.hours_cost, 0) as hours_cost,

        ---------- dates
        hours_per_project.first_worked_date,
        hours_per_project.last_worked_date

    from projects
    left join hours_per_project
        on projects.project_id = hours_per_project.project_id
    left join tasks_per_project
        on projects.project_id = tasks_per_project.project_id

)

select * from rolled_up
