with

source as (

    select * from {{ source('workfront', 'tasks') }}

),

standardized as (

    select
        {{ staged_columns('workfront', 'tasks', source('workfront', 'tasks')) }},
        {{ quality_issues('workfront', 'tasks', source('workfront', 'tasks')) }} as dq_issues,
        case
            when {{ quality_issues('workfront', 'tasks', source('workfront', 'tasks')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
