{{ config(unique_key='journal_entry_id') }}
{%- set raw_relation = source('workfront', 'journal_entries') -%}
{%- set raw = raw_fields('workfront', 'journal_entries', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('workfront') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as journal_entry_id,
        {{ stage_column(raw, 'obj_code', 'string', 'enum_upper') }} as obj_code,
        {{ stage_column(raw, 'sub_obj_code', 'string', 'enum_upper') }} as sub_obj_code,
        {{ stage_column(raw, 'sub_obj_id', 'string', 'trim') }} as time_entry_id,
        {{ stage_column(raw, 'change_type', 'string', 'enum_upper') }} as change_type,
        {{ stage_column(raw, 'entry_date', 'timestamp', 'workfront_timestamp') }} as deleted_at,
        {{ stage_column(raw, 'obj_id', 'string', 'trim') }} as project_id,
        {{ stage_column(raw, 'obj_obj_code', 'string', 'enum_upper') }} as obj_obj_code,
        {{ stage_column(raw, 'old_number_val', 'number', 'none') }} as hours_worked_before,
        {{ stage_column(raw, 'new_number_val', 'string', 'trim') }} as hours_worked_after,
        {{ stage_column(raw, 'edited_by_id', 'string', 'trim') }} as edited_by_id,
        {{ stage_column(raw, 'field_name', 'string', 'trim') }} as field_name,
        {# end of generated columns #}
        {{ quality_issues('workfront', 'journal_entries', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

),

deduplicated as (

    {{ dbt_utils.deduplicate('standardized', 'journal_entry_id', '_dlt_load_id desc') }}

)

select * from deduplicated
