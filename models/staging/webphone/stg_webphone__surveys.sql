with

source as (

    select * from {{ source('webphone', 'surveys') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'surveys', source('webphone', 'surveys')) }},
        {{ quality_issues('webphone', 'surveys', source('webphone', 'surveys')) }} as dq_issues,
        case
            when {{ quality_issues('webphone', 'surveys', source('webphone', 'surveys')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
