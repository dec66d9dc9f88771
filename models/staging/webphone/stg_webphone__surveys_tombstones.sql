with

source as (

    select * from {{ source('webphone', 'surveys_tombstones') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'surveys_tombstones', source('webphone', 'surveys_tombstones')) }},
        {{ quality_issues('webphone', 'surveys_tombstones', source('webphone', 'surveys_tombstones')) }} as dq_issues,
        case
            when {{ quality_issues('webphone', 'surveys_tombstones', source('webphone', 'surveys_tombstones')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
