with

source as (

    select * from {{ source('bynder', 'media') }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'media', source('bynder', 'media')) }},
        {{ quality_issues('bynder', 'media', source('bynder', 'media')) }} as dq_issues,
        case
            when {{ quality_issues('bynder', 'media', source('bynder', 'media')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
