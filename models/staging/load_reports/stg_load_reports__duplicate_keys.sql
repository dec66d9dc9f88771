{{ config(materialized='table') }}
with

source as (

    select * from {{ source('load_reports', 'duplicate_keys') }}

),

renamed as (

    select
        ---------- ids
        system as source_system,
        table_name as source_table,
        load_id as _dlt_load_id,
        record_key,
        ---------- strings
        case
            when versions > 1 then 'changed_between_pages'
            else 'exact_duplicate'
        end as delivery_defect,
        ---------- numerics
        copies,
        versions
    from source

)

select * from renamed
