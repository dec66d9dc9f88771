{{ config(unique_key='call_id') }}
{%- set raw_relation = source('webphone', 'calls') -%}
{%- set raw = raw_fields('webphone', 'calls', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('webphone') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as call_id,
        {{ stage_column(raw, 'parent_call_id', 'string', 'trim') }} as parent_call_id,
        {{ stage_column(raw, 'direction', 'string', 'enum_lower') }} as call_direction,
        {{ stage_column(raw, 'status', 'string', 'enum_lower') }} as call_status,
        {{ stage_column(raw, 'from_number', 'string', 'phone_e164') }} as from_number,
        {{ stage_column(raw, 'to_number', 'string', 'phone_e164') }} as to_number,
        {{ stage_column(raw, 'customer_id', 'string', 'trim') }} as customer_id,
        {{ stage_column(raw, 'agent_id', 'string', 'trim') }} as agent_id,
        {{ stage_column(raw, 'queue_id', 'string', 'trim') }} as queue_id,
        {{ stage_column(raw, 'queue_name', 'string', 'trim') }} as queue_name,
        {{ stage_column(raw, 'campaign_code', 'string', 'trim') }} as campaign_code,
        {{ stage_column(raw, 'started_at', 'timestamp', 'timestamp_utc') }} as started_at,
        {{ stage_column(raw, 'answered_at', 'timestamp', 'timestamp_utc') }} as answered_at,
        {{ stage_column(raw, 'ended_at', 'timestamp', 'timestamp_utc') }} as ended_at,
        {{ stage_column(raw, 'ring_seconds', 'integer', 'none') }} as ring_seconds,
        {{ stage_column(raw, 'queue_seconds', 'integer', 'none') }} as queue_seconds,
        {{ stage_column(raw, 'talk_seconds', 'integer', 'none') }} as talk_seconds,
        {{ stage_column(raw, 'hold_seconds', 'integer', 'none') }} as hold_seconds,
        {{ stage_column(raw, 'hold_count', 'integer', 'none') }} as hold_count,
        {{ stage_column(raw, 'acw_seconds', 'integer', 'none') }} as acw_seconds,
        {{ stage_column(raw, 'duration_seconds', 'integer', 'none') }} as duration_seconds,
        {{ stage_column(raw, 'disposition_code', 'string', 'trim') }} as disposition_code,
        {{ stage_column(raw, 'recording_url', 'string', 'trim') }} as recording_url,
        {{ stage_column(raw, 'created_at', 'timestamp', 'timestamp_utc') }} as created_at,
        {{ stage_column(raw, 'updated_at', 'timestamp', 'timestamp_utc') }} as updated_at,
        {{ stage_column(raw, 'sentiment_score', 'number', 'none') }} as sentiment_score,
        {# end of generated columns #}
        {{ quality_issues('webphone', 'calls', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
