{{ config(unique_key='time_entry_id') }}
{%- set raw_relation = source('workfront', 'hours') -%}
{%- set raw = raw_fields('workfront', 'hours', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('workfront') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as time_entry_id,
        {{ stage_column(raw, 'obj_code', 'string', 'enum_upper') }} as obj_code,
        {{ stage_column(raw, 'hours', 'number', 'none') }} as hours_worked,
        {{ stage_column(raw, 'entry_date', 'date', 'iso_date') }} as worked_date,
        {{ stage_column(raw, 'project_id', 'string', 'trim') }} as project_id,
        {{ stage_column(raw, 'task_id', 'string', 'trim') }} as task_id,
        {{ stage_column(raw, 'op_task_id', 'string', 'trim') }} as op_task_id,
        {{ stage_column(raw, 'owner_id', 'string', 'trim') }} as user_id,
        {{ stage_column(raw, 'hour_type_id', 'string', 'trim') }} as hour_type_id,
        {{ stage_column(raw, 'role_id', 'string', 'trim') }} as role_id,
        {{ stage_column(raw, 'status', 'string', 'enum_upper') }} as time_entry_status,
        {{ stage_column(raw, 'timesheet_id', 'string', 'trim') }} as timesheet_id,
        {{ stage_column(raw, 'actual_cost', 'number', 'none') }} as actual_cost,
        {{ stage_column(raw, 'approved_by_id', 'string', 'trim') }} as approved_by_id,
        {{ stage_column(raw, 'approved_on_date', 'timestamp', 'workfront_timestamp') }}
            as approved_at,
        {{ stage_column(raw, 'description', 'string', 'trim') }} as description,
        {{ stage_column(raw, 'last_update_date', 'timestamp', 'workfront_timestamp') }}
            as updated_at,
        {{ stage_column(raw, 'last_updated_by_id', 'string', 'trim') }} as last_updated_by_id,
        {{ stage_column(raw, 'parameter_values__de_billable', 'string', 'trim') }} as cf_billable,
        {{ stage_column(raw, 'parameter_values__de_activity_code', 'string', 'trim') }}
            as cf_activity_code,
        {{ stage_column(raw, 'parameter_values__de_work_location', 'string', 'trim') }}
            as cf_work_location,
        {{ stage_column(raw, 'parameter_values__de_overtime', 'string', 'trim') }} as cf_overtime,
        {{ stage_column(raw, 'parameter_values__de_client_reference', 'string', 'trim') }}
            as cf_client_reference,
        {{ stage_column(raw, 'parameter_values__de_mileage', 'number', 'none') }} as cf_mileage,
        {# end of generated columns #}
        {{ quality_issues('workfront', 'hours', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
