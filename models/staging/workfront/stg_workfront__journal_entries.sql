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

    select * from standardized
    qualify
        row_number() over (
            partition by journal_entry_id
            order by _dlt_load_id desc
        ) = 1

)

select * from deduplicated
