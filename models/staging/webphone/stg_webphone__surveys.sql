{{ config(unique_key='survey_id') }}
{%- set raw_relation = source('webphone', 'surveys') -%}
{%- set raw = raw_fields('webphone', 'surveys', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('webphone') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as survey_id,
        {{ stage_column(raw, 'call_id', 'string', 'trim') }} as call_id,
        {{ stage_column(raw, 'agent_id', 'string', 'trim') }} as agent_id,
        {{ stage_column(raw, 'customer_id', 'string', 'trim') }} as customer_id,
        {{ stage_column(raw, 'channel', 'string', 'enum_lower') }} as survey_channel,
        {{ stage_column(raw, 'status', 'string', 'enum_lower') }} as survey_status,
        {{ stage_column(raw, 'sent_at', 'timestamp', 'timestamp_utc') }} as sent_at,
        {{ stage_column(raw, 'completed_at', 'timestamp', 'timestamp_utc') }} as completed_at,
        {{ stage_column(raw, 'csat_score', 'integer', 'none') }} as csat_score,
        {{ stage_column(raw, 'csat_min', 'integer', 'none') }} as csat_min,
        {{ stage_column(raw, 'csat_max', 'integer', 'none') }} as csat_max,
        {{ stage_column(raw, 'nps_score', 'integer', 'none') }} as nps_score,
        {{ stage_column(raw, 'comment', 'string', 'trim') }} as comment,
        {{ stage_column(raw, 'updated_at', 'timestamp', 'timestamp_utc') }} as updated_at,
        {# end of generated columns #}
        {{ quality_issues('webphone', 'surveys', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
