with

source as (

    select * from {{ source('webphone', 'calls') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'calls', source('webphone', 'calls')) }},
        {{ quality_issues('webphone', 'calls', source('webphone', 'calls')) }} as dq_issues,
        case
            when {{ quality_issues('webphone', 'calls', source('webphone', 'calls')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
