{{ config(unique_key='user_id') }}
{%- set raw_relation = source('workfront', 'users') -%}
{%- set raw = raw_fields('workfront', 'users', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('workfront') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as user_id,
        {{ stage_column(raw, 'obj_code', 'string', 'enum_upper') }} as obj_code,
        {{ stage_column(raw, 'name', 'string', 'trim') }} as full_name,
        {{ stage_column(raw, 'first_name', 'string', 'trim') }} as first_name,
        {{ stage_column(raw, 'last_name', 'string', 'trim') }} as last_name,
        {{ stage_column(raw, 'email_addr', 'string', 'lower_trim') }} as email_address,
        {{ stage_column(raw, 'username', 'string', 'lower_trim') }} as username,
        {{ stage_column(raw, 'title', 'string', 'trim') }} as title,
        {{ stage_column(raw, 'is_active', 'boolean', 'none') }} as is_active,
        {{ stage_column(raw, 'manager_id', 'string', 'trim') }} as manager_id,
        {{ stage_column(raw, 'home_group_id', 'string', 'trim') }} as home_group_id,
        {{ stage_column(raw, 'home_team_id', 'string', 'trim') }} as home_team_id,
        {{ stage_column(raw, 'role_id', 'string', 'trim') }} as role_id,
        {{ stage_column(raw, 'company_id', 'string', 'trim') }} as company_id,
        {{ stage_column(raw, 'access_level_id', 'string', 'trim') }} as access_level_id,
        {{ stage_column(raw, 'last_login_date', 'timestamp', 'workfront_timestamp') }}
            as last_login_at,
        {{ stage_column(raw, 'entry_date', 'timestamp', 'workfront_timestamp') }} as created_at,
        {{ stage_column(raw, 'last_update_date', 'timestamp', 'workfront_timestamp') }}
            as updated_at,
        {{ stage_column(raw, 'parameter_values__de_department', 'string', 'trim') }}
            as cf_department,
        {{ stage_column(raw, 'parameter_values__de_location', 'string', 'trim') }} as cf_location,
        {{ stage_column(raw, 'parameter_values__de_employment_type', 'string', 'trim') }}
            as cf_employment_type,
        {{ stage_column(raw, 'parameter_values__de_cost_center', 'string', 'trim') }}
            as cf_cost_center,
        {{ stage_column(raw, 'parameter_values__de_start_date', 'date', 'iso_date') }}
            as cf_start_date,
        {{ stage_column(raw, 'parameter_values__de_skill_level', 'string', 'trim') }}
            as cf_skill_level,
        {{ stage_column(raw, 'parameter_values__de_default_billing_rate', 'number', 'none') }}
            as cf_default_billing_rate,
        {{ stage_column(raw, 'parameter_values__de_badge_number', 'string', 'trim') }}
            as cf_badge_number,
        {{ stage_column(raw, 'parameter_values__de_contractor_agency', 'string', 'trim') }}
            as cf_contractor_agency,
        {{ stage_column(raw, 'parameter_values__de_languages', 'string', 'trim') }} as cf_languages,
        {{ stage_column(raw, 'parameter_values__de_certification', 'string', 'trim') }}
            as cf_certification,
        {{ stage_column(raw, 'parameter_values__de_shift', 'string', 'trim') }} as cf_shift,
        {# end of generated columns #}
        {{ quality_issues('workfront', 'users', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
