{{ config(unique_key='journal_entry_id') }}
{%- set raw_relation = source('workfront', 'journal_entries') -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('workfront') }}

),

standardized as (

    select
        {{ staged_columns('workfront', 'journal_entries', raw_relation) }},
        {{ quality_issues('workfront', 'journal_entries', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

),

deduplicated as (

    {{ dbt_utils.deduplicate('standardized', 'journal_entry_id', '_dlt_load_id desc') }}

)

select * from deduplicated
