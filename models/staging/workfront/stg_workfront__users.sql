with

source as (

    select * from {{ source('workfront', 'users') }}

),

standardized as (

    select
        {{ staged_columns('workfront', 'users', source('workfront', 'users')) }},
        {{ quality_issues('workfront', 'users', source('workfront', 'users')) }} as dq_issues,
        case
            when {{ quality_issues('workfront', 'users', source('workfront', 'users')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
