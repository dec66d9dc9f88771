{{ config(unique_key='agent_id') }}
{%- set raw_relation = source('webphone', 'agents_tombstones') -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('webphone') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'agents_tombstones', raw_relation) }},
        {{ quality_issues('webphone', 'agents_tombstones', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
