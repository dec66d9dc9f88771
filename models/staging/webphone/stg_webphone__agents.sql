{{ config(unique_key='agent_id') }}
{%- set raw_relation = source('webphone', 'agents') -%}
{%- set raw = raw_fields('webphone', 'agents', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('webphone') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as agent_id,
        {{ stage_column(raw, 'email', 'string', 'lower_trim') }} as email_address,
        {{ stage_column(raw, 'first_name', 'string', 'trim') }} as first_name,
        {{ stage_column(raw, 'last_name', 'string', 'trim') }} as last_name,
        {{ stage_column(raw, 'display_name', 'string', 'trim') }} as display_name,
        {{ stage_column(raw, 'team', 'string', 'enum_lower') }} as team,
        {{ stage_column(raw, 'routing_profile', 'string', 'enum_lower') }} as routing_profile,
        {{ stage_column(raw, 'status', 'string', 'enum_lower') }} as agent_status,
        {{ stage_column(raw, 'timezone', 'string', 'trim') }} as timezone,
        {{ stage_column(raw, 'created_at', 'timestamp', 'timestamp_utc') }} as created_at,
        {{ stage_column(raw, 'updated_at', 'timestamp', 'timestamp_utc') }} as updated_at,
        {# end of generated columns #}
        {{ quality_issues('webphone', 'agents', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
