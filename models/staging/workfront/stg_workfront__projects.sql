{{ config(unique_key='project_id') }}
{%- set raw_relation = source('workfront', 'projects') -%}
{%- set raw = raw_fields('workfront', 'projects', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('workfront') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as project_id,
        {{ stage_column(raw, 'obj_code', 'string', 'enum_upper') }} as obj_code,
        {{ stage_column(raw, 'name', 'string', 'trim') }} as project_name,
        {{ stage_column(raw, 'status', 'string', 'workfront_status') }} as project_status,
        {{ stage_column(raw, 'status', 'string', 'enum_upper') }} as project_status_code,
        {{ stage_column(raw, 'percent_complete', 'number', 'none') }} as percent_complete,
        {{ stage_column(raw, 'priority', 'integer', 'none') }} as priority,
        {{ stage_column(raw, 'planned_start_date', 'timestamp', 'workfront_timestamp') }}
            as planned_start_at,
        {{ stage_column(raw, 'planned_completion_date', 'timestamp', 'workfront_timestamp') }}
            as planned_completion_at,
        {{ stage_column(raw, 'projected_completion_date', 'timestamp', 'workfront_timestamp') }}
            as projected_completion_at,
        {{ stage_column(raw, 'actual_start_date', 'timestamp', 'workfront_timestamp') }}
            as actual_start_at,
        {{ stage_column(raw, 'actual_completion_date', 'timestamp', 'workfront_timestamp') }}
            as actual_completion_at,
        {{ stage_column(raw, 'entry_date', 'timestamp', 'workfront_timestamp') }} as created_at,
        {{ stage_column(raw, 'last_update_date', 'timestamp', 'workfront_timestamp') }}
            as updated_at,
        {{ stage_column(raw, 'owner_id', 'string', 'trim') }} as owner_id,
        {{ stage_column(raw, 'sponsor_id', 'string', 'trim') }} as sponsor_id,
        {{ stage_column(raw, 'portfolio_id', 'string', 'trim') }} as portfolio_id,
        {{ stage_column(raw, 'group_id', 'string', 'trim') }} as group_id,
        {{ stage_column(raw, 'company_id', 'string', 'trim') }} as company_id,
        {{ stage_column(raw, 'template_id', 'string', 'trim') }} as template_id,
        {{ stage_column(raw, 'category_id', 'string', 'trim') }} as category_id,
        {{ stage_column(raw, 'entered_by_id', 'string', 'trim') }} as entered_by_id,
        {{ stage_column(raw, 'last_updated_by_id', 'string', 'trim') }} as last_updated_by_id,
        {{ stage_column(raw, 'currency', 'string', 'enum_upper') }} as currency,
        {{ stage_column(raw, 'budget', 'number', 'none') }} as budget,
        {{ stage_column(raw, 'planned_cost', 'number', 'none') }} as planned_cost,
        {{ stage_column(raw, 'actual_cost', 'number', 'none') }} as actual_cost,
        {{ stage_column(raw, 'planned_labor_cost', 'number', 'none') }} as planned_labor_cost,
        {{ stage_column(raw, 'actual_labor_cost', 'number', 'none') }} as actual_labor_cost,
        {{ stage_column(raw, 'planned_revenue', 'number', 'none') }} as planned_revenue,
        {{ stage_column(raw, 'actual_revenue', 'number', 'none') }} as actual_revenue,
        {{ stage_column(raw, 'reference_number', 'integer', 'none') }} as reference_number,
        {{ stage_column(raw, 'parameter_values__de_cost_center', 'string', 'trim') }}
            as cf_cost_center,
        {{ stage_column(raw, 'parameter_values__de_business_unit', 'string', 'trim') }}
            as cf_business_unit,
        {{ stage_column(raw, 'parameter_values__de_region', 'string', 'trim') }} as cf_region,
        {{ stage_column(raw, 'parameter_values__de_campaign_code', 'string', 'trim') }}
            as cf_campaign_code,
        {{ stage_column(raw, 'parameter_values__de_brand', 'string', 'trim') }} as cf_brand,
        {{ stage_column(raw, 'parameter_values__de_requested_by', 'string', 'trim') }}
            as cf_requested_by,
        {{ stage_column(raw, 'parameter_values__de_intake_date', 'date', 'iso_date') }}
            as cf_intake_date,
        {{ stage_column(raw, 'parameter_values__de_budget_owner', 'string', 'trim') }}
            as cf_budget_owner,
        {{ stage_column(raw, 'parameter_values__de_priority_tier', 'string', 'trim') }}
            as cf_priority_tier,
        {{ stage_column(raw, 'parameter_values__de_fiscal_year', 'string', 'trim') }}
            as cf_fiscal_year,
        {{ stage_column(raw, 'parameter_values__de_channel', 'string', 'trim') }} as cf_channel,
        {{ stage_column(raw, 'parameter_values__de_target_audience', 'string', 'trim') }}
            as cf_target_audience,
        {{ stage_column(raw, 'parameter_values__de_estimated_revenue', 'number', 'none') }}
            as cf_estimated_revenue,
        {{ stage_column(raw, 'parameter_values__de_launch_date', 'date', 'iso_date') }}
            as cf_launch_date,
        {{ stage_column(raw, 'parameter_values__de_agency', 'string', 'trim') }} as cf_agency,
        {{ stage_column(raw, 'parameter_values__de_legal_review_required', 'string', 'trim') }}
            as cf_legal_review_required,
        {{ stage_column(raw, 'parameter_values__de_project_type', 'string', 'trim') }}
            as cf_project_type,
        {{ stage_column(raw, 'parameter_values__de_strategic_initiative', 'string', 'trim') }}
            as cf_strategic_initiative,
        {{ stage_column(raw, 'parameter_values__de_audience_score', 'number', 'none') }}
            as cf_audience_score,
        {{ stage_column(raw, 'parameter_values__de_audience_tier', 'string', 'trim') }}
            as cf_audience_tier,
        {{ stage_column(raw, 'parameter_values__de_creative_owner', 'string', 'trim') }}
            as cf_creative_owner,
        {{ stage_column(raw, 'parameter_values__de_media_count', 'number', 'none') }}
            as cf_media_count,
        {{ stage_column(raw, 'parameter_values__de_vendor_notes', 'string', 'trim') }}
            as cf_vendor_notes,
        {{ stage_column(raw, 'parameter_values__de_compliance_status', 'string', 'trim') }}
            as cf_compliance_status,
        {{ stage_column(raw, 'parameter_values__de_localization_date', 'date', 'iso_date') }}
            as cf_localization_date,
        {{ stage_column(raw, 'parameter_values__de_accessibility_code', 'string', 'trim') }}
            as cf_accessibility_code,
        {{ stage_column(raw, 'parameter_values__de_sustainability_score', 'number', 'none') }}
            as cf_sustainability_score,
        {{ stage_column(raw, 'parameter_values__de_sustainability_tier', 'string', 'trim') }}
            as cf_sustainability_tier,
        {{ stage_column(raw, 'parameter_values__de_forecast_owner', 'string', 'trim') }}
            as cf_forecast_owner,
        {{ stage_column(raw, 'parameter_values__de_procurement_count', 'number', 'none') }}
            as cf_procurement_count,
        {{ stage_column(raw, 'parameter_values__de_stakeholder_notes', 'string', 'trim') }}
            as cf_stakeholder_notes,
        {{ stage_column(raw, 'parameter_values__de_quality_status', 'string', 'trim') }}
            as cf_quality_status,
        {{ stage_column(raw, 'parameter_values__de_risk_date', 'date', 'iso_date') }}
            as cf_risk_date,
        {{ stage_column(raw, 'parameter_values__de_rollout_code', 'string', 'trim') }}
            as cf_rollout_code,
        {{ stage_column(raw, 'parameter_values__de_content_score', 'number', 'none') }}
            as cf_content_score,
        {{ stage_column(raw, 'parameter_values__de_content_tier', 'string', 'trim') }}
            as cf_content_tier,
        {{ stage_column(raw, 'parameter_values__de_partner_owner', 'string', 'trim') }}
            as cf_partner_owner,
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
        {# end of generated columns #}
        {{ quality_issues('workfront', 'projects', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
