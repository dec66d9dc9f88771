with

source as (

    select * from {{ source('webphone', 'customers_tombstones') }}

),

standardized as (

    select
        {{ staged_columns('webphone', 'customers_tombstones', source('webphone', 'customers_tombstones')) }},
        {{ quality_issues('webphone', 'customers_tombstones', source('webphone', 'customers_tombstones')) }} as dq_issues,
        case
            when {{ quality_issues('webphone', 'customers_tombstones', source('webphone', 'customers_tombstones')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
