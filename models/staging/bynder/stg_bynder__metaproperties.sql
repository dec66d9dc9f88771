with

source as (

    select * from {{ source('bynder', 'metaproperties') }}

),

standardized as (

    select
        {{ staged_columns('bynder', 'metaproperties', source('bynder', 'metaproperties')) }},
        {{ quality_issues('bynder', 'metaproperties', source('bynder', 'metaproperties')) }} as dq_issues,
        case
            when {{ quality_issues('bynder', 'metaproperties', source('bynder', 'metaproperties')) }}
                is not null
                then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
