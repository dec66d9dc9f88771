with

source as (

    select * from {{ source('webphone', 'agents_tombstones') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'agents_tombstones', source('webphone', 'agents_tombstones')) }},
        {{ quality_issues('webphone', 'agents_tombstones', source('webphone', 'agents_tombstones')) }} as dq_issues,
        case
            when {{ quality_issues('webphone', 'agents_tombstones', source('webphone', 'agents_tombstones')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
