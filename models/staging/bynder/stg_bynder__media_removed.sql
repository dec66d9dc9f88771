{{ config(unique_key='asset_id') }}
{%- set raw_relation = source('bynder', 'media_removed') -%}
{%- set raw = raw_fields('bynder', 'media_removed', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('bynder') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as asset_id,
        {{ stage_column(raw, 'name', 'string', 'trim') }} as asset_name,
        {{ stage_column(raw, 'date_removed', 'timestamp', 'timestamp_utc') }} as removed_at,
        {{ stage_column(raw, 'date_created', 'timestamp', 'timestamp_utc') }} as created_at,
        {{ stage_column(raw, 'username', 'string', 'lower_trim') }} as removed_by_name,
        {{ stage_column(raw, 'user_id', 'string', 'trim') }} as removed_by_user_id,
        {{ stage_column(raw, 's3_filepointer', 'string', 'trim') }} as s3_filepointer,
        {# end of generated columns #}
        {{ quality_issues('bynder', 'media_removed', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

),

deduplicated as (

    {{ dbt_utils.deduplicate('standardized', 'asset_id', '_dlt_load_id desc') }}

)

select * from deduplicated
