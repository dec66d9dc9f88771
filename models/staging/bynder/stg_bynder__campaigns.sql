with

source as (

    select * from {{ source('bynder', 'campaigns') }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'campaigns', source('bynder', 'campaigns')) }},
        {{ quality_issues('bynder', 'campaigns', source('bynder', 'campaigns')) }} as dq_issues,
        case
            when {{ quality_issues('bynder', 'campaigns', source('bynder', 'campaigns')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
