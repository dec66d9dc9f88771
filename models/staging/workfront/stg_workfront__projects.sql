with

source as (

    select * from {{ source('workfront', 'projects') }}

),

standardized as (

    select
        {{ staged_columns('workfront', 'projects', source('workfront', 'projects')) }},
        {{ quality_issues('workfront', 'projects', source('workfront', 'projects')) }} as dq_issues,
        case
            when {{ quality_issues('workfront', 'projects', source('workfront', 'projects')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
