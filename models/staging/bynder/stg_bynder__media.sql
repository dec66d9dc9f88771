{{ config(unique_key='asset_id') }}
{%- set raw_relation = source('bynder', 'media') -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('bynder') }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'media', raw_relation) }},
        {{ quality_issues('bynder', 'media', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
