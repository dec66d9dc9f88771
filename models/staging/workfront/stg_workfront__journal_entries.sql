with

source as (

    select * from {{ source('workfront', 'journal_entries') }}

),

standardized as (

    select
        {{ staged_columns('workfront', 'journal_entries', source('workfront', 'journal_entries')) }},
        {{ quality_issues('workfront', 'journal_entries', source('workfront', 'journal_entries')) }} as dq_issues,
        case
            when {{ quality_issues('workfront', 'journal_entries', source('workfront', 'journal_entries')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

),

deduplicated as (

    select * from standardized
    qualify row_number() over (
        partition by journal_entry_id
        order by _dlt_load_id desc
    ) = 1

)

select * from deduplicated
