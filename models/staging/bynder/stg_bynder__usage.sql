{{ config(unique_key='usage_id') }}
{%- set raw_relation = source('bynder', 'usage') -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('bynder') }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'usage', raw_relation) }},
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
