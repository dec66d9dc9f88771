{{ config(unique_key='assignment_id') }}
{%- set raw_relation = source('workfront', 'assignments') -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('workfront') }}

),

standardized as (

    select
        {{ staged_columns('workfront', 'assignments', raw_relation) }},
        {{ quality_issues('workfront', 'assignments', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
