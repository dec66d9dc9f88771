{{ config(unique_key='asset_id') }}
{%- set raw_relation = source('bynder', 'media_removed') -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('bynder') }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'media_removed', raw_relation) }},
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
