{{ config(unique_key='task_id') }}
{%- set raw_relation = source('workfront', 'tasks') -%}
{%- set raw = raw_fields('workfront', 'tasks', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('workfront') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as task_id,
        {{ stage_column(raw, 'obj_code', 'string', 'enum_upper') }} as obj_code,
        {{ stage_column(raw, 'name', 'string', 'trim') }} as task_name,
        {{ stage_column(raw, 'project_id', 'string', 'trim') }} as project_id,
        {{ stage_column(raw, 'status', 'string', 'workfront_status') }} as task_status,
        {{ stage_column(raw, 'status', 'string', 'enum_upper') }} as task_status_code,
        {{ stage_column(raw, 'percent_complete', 'integer', 'none') }} as percent_complete,
        {{ stage_column(raw, 'progress_status', 'string', 'enum_upper') }} as progress_status,
        {{ stage_column(raw, 'assigned_to_id', 'string', 'trim') }} as assigned_to_id,
        {{ stage_column(raw, 'role_id', 'string', 'trim') }} as role_id,
        {{ stage_column(raw, 'parent_id', 'string', 'trim') }} as parent_id,
        {{ stage_column(raw, 'task_number', 'integer', 'none') }} as task_number,
        {{ stage_column(raw, 'wbs', 'string', 'trim') }} as wbs,
        {{ stage_column(raw, 'priority', 'integer', 'none') }} as priority,
        {{ stage_column(raw, 'planned_start_date', 'timestamp', 'workfront_timestamp') }}
            as planned_start_at,
        {{ stage_column(raw, 'planned_completion_date', 'timestamp', 'workfront_timestamp') }}
            as planned_completion_at,
        {{ stage_column(raw, 'actual_start_date', 'timestamp', 'workfront_timestamp') }}
            as actual_start_at,
        {{ stage_column(raw, 'actual_completion_date', 'timestamp', 'workfront_timestamp') }}
            as actual_completion_at,
        {{ stage_column(raw, 'duration_minutes', 'integer', 'none') }} as duration_minutes,
        {{ stage_column(raw, 'planned_duration_minutes', 'integer', 'none') }}
            as planned_duration_minutes,
        {{ stage_column(raw, 'work_required', 'integer', 'none') }} as work_required,
        {{ stage_column(raw, 'actual_work', 'integer', 'none') }} as actual_work,
        {{ stage_column(raw, 'planned_cost', 'number', 'none') }} as planned_cost,
        {{ stage_column(raw, 'actual_cost', 'number', 'none') }} as actual_cost,
        {{ stage_column(raw, 'cost_type', 'string', 'enum_upper') }} as cost_type,
        {{ stage_column(raw, 'revenue_type', 'string', 'enum_upper') }} as revenue_type,
        {{ stage_column(raw, 'slack_date', 'date', 'iso_date') }} as slack_date,
        {{ stage_column(raw, 'entry_date', 'timestamp', 'workfront_timestamp') }} as created_at,
        {{ stage_column(raw, 'last_update_date', 'timestamp', 'workfront_timestamp') }}
            as updated_at,
        {{ stage_column(raw, 'last_updated_by_id', 'string', 'trim') }} as last_updated_by_id,
        {{ stage_column(raw, 'parameter_values__de_deliverable_type', 'string', 'trim') }}
            as cf_deliverable_type,
        {{ stage_column(raw, 'parameter_values__de_review_round', 'number', 'none') }}
            as cf_review_round,
        {{ stage_column(raw, 'parameter_values__de_asset_count', 'number', 'none') }}
            as cf_asset_count,
        {{ stage_column(raw, 'parameter_values__de_due_to_client', 'date', 'iso_date') }}
            as cf_due_to_client,
        {{ stage_column(raw, 'parameter_values__de_channel', 'string', 'trim') }} as cf_channel,
        {{ stage_column(raw, 'parameter_values__de_approval_stage', 'string', 'trim') }}
            as cf_approval_stage,
        {{ stage_column(raw, 'parameter_values__de_creative_lead', 'string', 'trim') }}
            as cf_creative_lead,
        {{ stage_column(raw, 'parameter_values__de_estimated_hours', 'number', 'none') }}
            as cf_estimated_hours,
        {{ stage_column(raw, 'parameter_values__de_rework_reason', 'string', 'trim') }}
            as cf_rework_reason,
        {{ stage_column(raw, 'parameter_values__de_language', 'string', 'trim') }} as cf_language,
        {{ stage_column(raw, 'parameter_values__de_audience_count', 'number', 'none') }}
            as cf_audience_count,
        {{ stage_column(raw, 'parameter_values__de_creative_notes', 'string', 'trim') }}
            as cf_creative_notes,
        {{ stage_column(raw, 'parameter_values__de_media_status', 'string', 'trim') }}
            as cf_media_status,
        {{ stage_column(raw, 'parameter_values__de_vendor_date', 'date', 'iso_date') }}
            as cf_vendor_date,
        {{ stage_column(raw, 'parameter_values__de_compliance_code', 'string', 'trim') }}
            as cf_compliance_code,
        {{ stage_column(raw, 'parameter_values__de_localization_score', 'number', 'none') }}
            as cf_localization_score,
        {{ stage_column(raw, 'parameter_values__de_localization_tier', 'string', 'trim') }}
            as cf_localization_tier,
        {{ stage_column(raw, 'parameter_values__de_accessibility_owner', 'string', 'trim') }}
            as cf_accessibility_owner,
        {{ stage_column(raw, 'parameter_values__de_sustainability_count', 'number', 'none') }}
            as cf_sustainability_count,
        {{ stage_column(raw, 'parameter_values__de_forecast_notes', 'string', 'trim') }}
            as cf_forecast_notes,
        {{ stage_column(raw, 'parameter_values__de_procurement_status', 'string', 'trim') }}
            as cf_procurement_status,
        {{ stage_column(raw, 'parameter_values__de_stakeholder_date', 'date', 'iso_date') }}
            as cf_stakeholder_date,
        {{ stage_column(raw, 'parameter_values__de_quality_code', 'string', 'trim') }}
            as cf_quality_code,
        {{ stage_column(raw, 'parameter_values__de_risk_score', 'number', 'none') }}
            as cf_risk_score,
        {{ stage_column(raw, 'parameter_values__de_risk_tier', 'string', 'trim') }} as cf_risk_tier,
        {{ stage_column(raw, 'parameter_values__de_rollout_owner', 'string', 'trim') }}
            as cf_rollout_owner,
        {{ stage_column(raw, 'parameter_values__de_content_count', 'number', 'none') }}
            as cf_content_count,
        {{ stage_column(raw, 'parameter_values__de_partner_notes', 'string', 'trim') }}
            as cf_partner_notes,
        {{ stage_column(raw, 'parameter_values__de_audience_status', 'string', 'trim') }}
            as cf_audience_status,
        {{ stage_column(raw, 'parameter_values__de_creative_date', 'date', 'iso_date') }}
            as cf_creative_date,
        {{ stage_column(raw, 'parameter_values__de_media_code', 'string', 'trim') }}
            as cf_media_code,
        {{ stage_column(raw, 'parameter_values__de_vendor_score', 'number', 'none') }}
            as cf_vendor_score,
        {# end of generated columns #}
        {{ quality_issues('workfront', 'tasks', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
