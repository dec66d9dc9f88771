{{ config(unique_key='usage_id') }}
{%- set raw_relation = source('bynder', 'usage') -%}
{%- set raw = raw_fields('bynder', 'usage', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('bynder') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as usage_id,
        {{ stage_column(raw, 'asset_id', 'string', 'trim') }} as asset_id,
        {{ stage_column(raw, 'integration', 'json', 'json') }} as integration,
        {{ stage_column(raw, 'timestamp', 'timestamp', 'timestamp_utc') }} as used_at,
        {{ stage_column(raw, 'uri', 'string', 'trim') }} as usage_uri,
        {{ stage_column(raw, 'additional', 'string', 'trim') }} as usage_note,
        {# end of generated columns #}
        {{ quality_issues('bynder', 'usage', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

),

deduplicated as (

    {{ dbt_utils.deduplicate('standardized', 'usage_id', '_dlt_load_id desc') }}

)

select * from deduplicated
