{{ config(unique_key='assignment_id') }}
{%- set raw_relation = source('workfront', 'assignments') -%}
{%- set raw = raw_fields('workfront', 'assignments', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('workfront') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as assignment_id,
        {{ stage_column(raw, 'obj_code', 'string', 'enum_upper') }} as obj_code,
        {{ stage_column(raw, 'task_id', 'string', 'trim') }} as task_id,
        {{ stage_column(raw, 'op_task_id', 'string', 'trim') }} as op_task_id,
        {{ stage_column(raw, 'project_id', 'string', 'trim') }} as project_id,
        {{ stage_column(raw, 'assigned_to_id', 'string', 'trim') }} as assigned_to_id,
        {{ stage_column(raw, 'assigned_by_id', 'string', 'trim') }} as assigned_by_id,
        {{ stage_column(raw, 'role_id', 'string', 'trim') }} as role_id,
        {{ stage_column(raw, 'team_id', 'string', 'trim') }} as team_id,
        {{ stage_column(raw, 'assignment_percent', 'number', 'none') }} as assignment_percent,
        {{ stage_column(raw, 'is_primary', 'boolean', 'none') }} as is_primary,
        {{ stage_column(raw, 'status', 'string', 'enum_upper') }} as assignment_status,
        {{ stage_column(raw, 'work', 'integer', 'none') }} as work,
        {{ stage_column(raw, 'work_required', 'integer', 'none') }} as work_required,
        {{ stage_column(raw, 'actual_work_completed', 'number', 'none') }} as actual_work_completed,
        {{ stage_column(raw, 'work_unit', 'string', 'enum_upper') }} as work_unit,
        {# end of generated columns #}
        {{ quality_issues('workfront', 'assignments', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
