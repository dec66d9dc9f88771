with

source as (

    select * from {{ source('bynder', 'media_removed') }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'media_removed', source('bynder', 'media_removed')) }},
        {{ quality_issues('bynder', 'media_removed', source('bynder', 'media_removed')) }} as dq_issues,
        case
            when {{ quality_issues('bynder', 'media_removed', source('bynder', 'media_removed')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

),

deduplicated as (

    select * from standardized
    qualify row_number() over (
        partition by asset_id
        order by _dlt_load_id desc
    ) = 1

)

select * from deduplicated
