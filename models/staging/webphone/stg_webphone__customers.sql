with

source as (

    select * from {{ source('webphone', 'customers') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'customers', source('webphone', 'customers')) }},
        {{ quality_issues('webphone', 'customers', source('webphone', 'customers')) }} as dq_issues,
        case
            when {{ quality_issues('webphone', 'customers', source('webphone', 'customers')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
