with

source as (

    select * from {{ source('webphone', 'calls_tombstones') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'calls_tombstones', source('webphone', 'calls_tombstones')) }},
        {{ quality_issues('webphone', 'calls_tombstones', source('webphone', 'calls_tombstones')) }} as dq_issues,
        case
            when {{ quality_issues('webphone', 'calls_tombstones', source('webphone', 'calls_tombstones')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
