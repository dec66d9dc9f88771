with

tasks as (

    select * from {{ ref('stg_workfront__tasks') }}

),

time_entries as (

    select * from {{ ref('int_time_entries_marked_deleted') }}

),

clean_tasks as (

    select * from tasks
    where dq_issues is null

),

hours_per_task as (

    select
        task_id,
        count(*) as time_entries,
        sum(hours_worked) as hours_worked,
        sum(case when is_approved then hours_worked else 0 end) as hours_approved,
        sum(actual_cost) as hours_cost,
        count(distinct user_id) as users_logging_hours,
        min(worked_date) as first_worked_date,
        max(worked_date) as last_worked_date
    from time_entries
    where not is_deleted
    group by 1

),

rolled_up as (

    select
        ---------- ids
        clean_tasks.task_id,
        clean_tasks.project_id,
        clean_tasks.parent_id,
        clean_tasks.assigned_to_id,

        ---------- strings
        clean_tasks.task_name,
        clean_tasks.task_status,
        clean_tasks.task_status_code,
        clean_tasks.progress_status,

        ---------- numerics
        clean_tasks.percent_complete,
        clean_tasks.work_required / 60.0 as planned_hours,
        clean_tasks.actual_work / 60.0 as task_record_hours,
        clean_tasks.planned_cost,
        clean_tasks.actual_cost as task_record_cost,
        coalesce(hours_per_task.time_entries, 0) as time_entries,
        coalesce(hours_per_task.hours_worked, 0) as hours_worked,
        coalesce(hours_per_task.hours_approved, 0) as hours_approved,
        coalesce(hours_per_task.hours_cost, 0) as hours_cost,
        coalesce(hours_per_task.users_logging_hours, 0) as users_logging_hours,

        ---------- dates
        hours_per_task.first_worked_date,
        hours_per_task.last_worked_date

    from clean_tasks
    left join hours_per_task
        on clean_tasks.task_id = hours_per_task.task_id

)

select * from rolled_up
