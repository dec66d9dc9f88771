{#
    Appends the columns of every raw and staging relation on each run (Elementary's
    schema_columns_snapshot), so schema_changes can compare a run with the previous
    one. Runs after the staging views are rebuilt (see the depends_on lines).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='append_new_columns',
    )
}}
{% for system in ['webphone', 'bynder', 'workfront'] -%}
    {% for table, _ in dictionary_tables(system) -%}
    -- depends_on: {{ ref('stg_' ~ system ~ '__' ~ table) }}
    {% endfor -%}
{% endfor %}

with

catalog as (

    select * from {{ catalog_columns() }} as catalog_columns

),

monitored as (

    select
        table_schema,
        table_name,
        column_name,
        data_type
    from catalog
    where (
        substr(table_schema, 1, 4) = 'raw_'
        and {{ dbt.right('table_schema', 8) }} != '_staging'
    )
    or table_schema = '{{ generate_schema_name('staging', none) | trim | lower }}'

),

final as (

    select
        '{{ invocation_id }}' as snapshot_id,
        {{ utc_now() }} as snapshotted_at,
        table_schema,
        table_name,
        column_name,
        data_type
    from monitored

)

select * from final
