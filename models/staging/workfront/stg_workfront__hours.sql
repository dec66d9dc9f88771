with

source as (

    select * from {{ source('workfront', 'hours') }}

),

standardized as (

    select
        {{ staged_columns('workfront', 'hours', source('workfront', 'hours')) }},
        {{ quality_issues('workfront', 'hours', source('workfront', 'hours')) }} as dq_issues,
        case
            when {{ quality_issues('workfront', 'hours', source('workfront', 'hours')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
