with

source as (

    select * from {{ source('webphone', 'agents') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'agents', source('webphone', 'agents')) }},
        {{ quality_issues('webphone', 'agents', source('webphone', 'agents')) }} as dq_issues,
        case
            when {{ quality_issues('webphone', 'agents', source('webphone', 'agents')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
