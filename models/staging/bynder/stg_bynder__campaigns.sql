{# raw is replaced whole on every load: a plain table, rebuilt each run #}
{{ config(materialized='table') }}
{%- set raw_relation = source('bynder', 'campaigns') -%}
{%- set raw = raw_fields('bynder', 'campaigns', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as campaign_id,
        {{ stage_column(raw, 'name', 'string', 'trim') }} as campaign_name,
        {{ stage_column(raw, 'key', 'string', 'trim') }} as campaign_code,
        {{ stage_column(raw, 'description', 'string', 'trim') }} as description,
        {{ stage_column(raw, 'account_id', 'string', 'trim') }} as account_id,
        {{ stage_column(raw, 'date_created', 'timestamp', 'timestamp_utc') }} as created_at,
        {{ stage_column(raw, 'created_by_id', 'string', 'trim') }} as created_by_id,
        {{ stage_column(raw, 'date_modified', 'timestamp', 'timestamp_utc') }} as modified_at,
        {{ stage_column(raw, 'responsible_id', 'string', 'trim') }} as responsible_id,
        {{ stage_column(raw, 'closed', 'boolean', 'none') }} as is_closed,
        {{ stage_column(raw, 'date_start', 'timestamp', 'timestamp_utc') }} as starts_at,
        {{ stage_column(raw, 'deadline', 'timestamp', 'timestamp_utc') }} as deadline_at,
        {{ stage_column(raw, 'preset_id', 'string', 'trim') }} as preset_id,
        {{ stage_column(raw, 'thumbnail_url', 'string', 'trim') }} as thumbnail_url,
        {{ stage_column(raw, 'campaign_metaproperties', 'json', 'json') }}
            as campaign_metaproperties,
        {# end of generated columns #}
        {{ quality_issues('bynder', 'campaigns', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
