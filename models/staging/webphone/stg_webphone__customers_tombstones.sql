{{ config(unique_key='customer_id') }}
{%- set raw_relation = source('webphone', 'customers_tombstones') -%}
{%- set raw = raw_fields('webphone', 'customers_tombstones', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('webphone') }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as customer_id,
        {{ stage_column(raw, 'deleted_at', 'timestamp', 'timestamp_utc') }} as deleted_at,
        {{ stage_column(raw, 'updated_at', 'timestamp', 'timestamp_utc') }} as updated_at,
        {# end of generated columns #}
        {{ quality_issues('webphone', 'customers_tombstones', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
