{{ config(unique_key='customer_id') }}
{%- set raw_relation = source('webphone', 'customers') -%}
{%- set raw = raw_fields('webphone', 'customers', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('webphone') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as customer_id,
        {{ stage_column(raw, 'external_ref', 'string', 'trim') }} as external_ref,
        {{ stage_column(raw, 'first_name', 'string', 'trim') }} as first_name,
        {{ stage_column(raw, 'last_name', 'string', 'trim') }} as last_name,
        {{ stage_column(raw, 'phone_numbers', 'string', 'phone_e164_array') }}
            as primary_phone_number,
        {{ stage_column(raw, 'email', 'string', 'lower_trim') }} as email_address,
        {{ stage_column(raw, 'company', 'string', 'trim') }} as company,
        {{ stage_column(raw, 'locale', 'string', 'enum_lower') }} as locale,
        {{ stage_column(raw, 'created_at', 'timestamp', 'timestamp_utc') }} as created_at,
        {{ stage_column(raw, 'updated_at', 'timestamp', 'timestamp_utc') }} as updated_at,
        {# end of generated columns #}
        {{ quality_issues('webphone', 'customers', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
