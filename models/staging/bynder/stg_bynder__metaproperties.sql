{# raw is replaced whole on every load: a plain table, rebuilt each run #}
{{ config(materialized='table') }}
{%- set raw_relation = source('bynder', 'metaproperties') -%}

with

source as (

    select * from {{ raw_relation }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'metaproperties', raw_relation) }},
        {{ quality_issues('bynder', 'metaproperties', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
