{{ config(materialized='table') }}
with

source as (

    select * from {{ source('load_reports', 'loads') }}

),

renamed as (

    select
        ---------- ids
        system as source_system,
        table_name as source_table,
        load_id as _dlt_load_id,
        ---------- strings
        write_disposition,
        primary_key as primary_key_columns,
        ---------- numerics
        rows_reported,
        rows_in_load,
        distinct_keys,
        duplicate_rows,
        rows_landed,
        ---------- timestamps
        {{ load_id_to_timestamp('load_id') }} as _loaded_at,
        reported_at
    from source

)

select * from renamed
