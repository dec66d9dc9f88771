with

source as (

    select * from {{ source('bynder', 'usage') }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'usage', source('bynder', 'usage')) }},
        {{ quality_issues('bynder', 'usage', source('bynder', 'usage')) }} as dq_issues,
        case
            when {{ quality_issues('bynder', 'usage', source('bynder', 'usage')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

),

deduplicated as (

    select * from standardized
    qualify row_number() over (
        partition by usage_id
        order by _dlt_load_id desc
    ) = 1

)

select * from deduplicated
