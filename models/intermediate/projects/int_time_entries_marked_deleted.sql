with

hours as (

    select * from {{ ref('stg_workfront__hours') }}

),

journal_entries as (

    select * from {{ ref('stg_workfront__journal_entries') }}

),

clean_hours as (

    select * from hours
    where dq_issues is null

),

{# Workfront hard-deletes time entries: a journal entry is the only trace #}
deletions as (

    select
        time_entry_id,
        min(deleted_at) as deleted_at,
        max(_loaded_at) as _loaded_at
    from journal_entries
    where
        dq_issues is null
        and sub_obj_code = 'HOUR'
        and change_type = 'D'
    group by 1

),

marked as (

    select
        ---------- ids
        clean_hours.time_entry_id,
        clean_hours.project_id,
        clean_hours.task_id,
        clean_hours.user_id,
        clean_hours.role_id,
        clean_hours.hour_type_id,
        clean_hours.timesheet_id,
        clean_hours.approved_by_id,

        ---------- strings
        clean_hours.time_entry_status,
        clean_hours.description,

        ---------- numerics
        clean_hours.hours_worked,
        clean_hours.actual_cost,

        ---------- booleans
        clean_hours.time_entry_status = 'APR' as is_approved,
        deletions.time_entry_id is not null as is_deleted,

        ---------- dates
        clean_hours.worked_date,

        ---------- timestamps
        clean_hours.approved_at,
        clean_hours.updated_at,
        deletions.deleted_at,
        {{ later_loaded_at('clean_hours._loaded_at', 'deletions._loaded_at') }}
            as _source_loaded_at

    from clean_hours
    left join deletions
        on clean_hours.time_entry_id = deletions.time_entry_id

)

select * from marked
