with

source as (

    select * from {{ source('workfront', 'assignments') }}

),

standardized as (

    select
        {{ staged_columns('workfront', 'assignments', source('workfront', 'assignments')) }},
        {{ quality_issues('workfront', 'assignments', source('workfront', 'assignments')) }} as dq_issues,
        case
            when {{ quality_issues('workfront', 'assignments', source('workfront', 'assignments')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
