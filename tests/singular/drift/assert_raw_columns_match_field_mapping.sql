{#
    Schema drift: the raw schemas the loaders land must look exactly as the
    field-mapping dictionary (seeds/field_mapping.csv) says. One row per difference:

    * unmapped_table   a raw table the dictionary does not know;
    * unmapped_column  a raw column with no dictionary row: a new API field, a renamed
                       one (Bynder `Market` arriving as `Sales_Market`), or a value dlt
                       could not coerce to the hinted type and wrote to a variant
                       column such as `priority__v_text`;
    * missing_column   a mapped column the raw table lacks;
    * retyped_column   a raw column whose type differs from the dictionary's raw_type.

    dlt's own tables and columns (`_dlt_*`) are ignored. WebPhone tombstones are routed
    by the entity's resource, so `<entity>_tombstones` may also carry the entity's
    mapped columns.

    Severity error: `dbt build` fails, so drift is never ignored, while models keep
    building (nothing but this test depends on the seed it reads). The differing
    columns are stored (store_failures) for the data steward; fix them with one
    dictionary row each and `make dictionary`.
#}
{{ config(severity='error', store_failures=true, tags=['schema_drift']) }}

with

field_mapping as (

    select * from {{ ref('field_mapping') }}

),

catalog_columns as (

    select * from {{ catalog_columns() }}

),

raw_columns as (

    select
        table_schema as raw_schema,
        table_name as raw_table,
        column_name as raw_column,
        data_type as found_type
    from catalog_columns
    where
        table_schema in ('raw_webphone', 'raw_bynder', 'raw_workfront')
        and substr(table_name, 1, 5) != '_dlt_'
        and substr(column_name, 1, 5) != '_dlt_'

),

mapped_columns as (

    select
        'raw_' || source_system as raw_schema,
        source_object as raw_table,
        raw_column,
        {{ warehouse_type_of_dlt_type('raw_type') }} as expected_type
    from field_mapping

),

mapped_tables as (

    select distinct
        raw_schema,
        raw_table
    from mapped_columns

),

{# columns dlt may add to a tombstone table: its entity's hints #}
inherited_columns as (

    select
        tombstones.raw_schema,
        tombstones.raw_table,
        entity_columns.raw_column,
        entity_columns.expected_type
    from mapped_tables as tombstones
    inner join mapped_columns as entity_columns
        on
            tombstones.raw_schema = entity_columns.raw_schema
            and tombstones.raw_table = entity_columns.raw_table || '_tombstones'

),

allowed_columns as (

    select * from mapped_columns
    union all
    select * from inherited_columns
    where not exists (
            select mapped_columns.raw_column
            from mapped_columns
            where
                mapped_columns.raw_schema = inherited_columns.raw_schema
                and mapped_columns.raw_table = inherited_columns.raw_table
                and mapped_columns.raw_column = inherited_columns.raw_column
        )

),

unmapped_tables as (

    select distinct
        raw_columns.raw_schema,
        raw_columns.raw_table,
        cast(null as {{ dbt.type_string() }}) as raw_column,
        'unmapped_table' as drift_kind,
        cast(null as {{ dbt.type_string() }}) as expected_type,
        cast(null as {{ dbt.type_string() }}) as found_type
    from raw_columns
    left join mapped_tables
        on
            raw_columns.raw_schema = mapped_tables.raw_schema
            and raw_columns.raw_table = mapped_tables.raw_table
    where mapped_tables.raw_table is null

),

unmapped_columns as (

    select
        raw_columns.raw_schema,
        raw_columns.raw_table,
        raw_columns.raw_column,
        'unmapped_column' as drift_kind,
        cast(null as {{ dbt.type_string() }}) as expected_type,
        raw_columns.found_type
    from raw_columns
    inner join mapped_tables
        on
            raw_columns.raw_schema = mapped_tables.raw_schema
            and raw_columns.raw_table = mapped_tables.raw_table
    left join allowed_columns
        on
            raw_columns.raw_schema = allowed_columns.raw_schema
            and raw_columns.raw_table = allowed_columns.raw_table
            and raw_columns.raw_column = allowed_columns.raw_column
    where allowed_columns.raw_column is null

),

missing_columns as (

    select
        mapped_columns.raw_schema,
        mapped_columns.raw_table,
        mapped_columns.raw_column,
        'missing_column' as drift_kind,
        mapped_columns.expected_type,
        cast(null as {{ dbt.type_string() }}) as found_type
    from mapped_columns
    left join raw_columns
        on
            mapped_columns.raw_schema = raw_columns.raw_schema
            and mapped_columns.raw_table = raw_columns.raw_table
            and mapped_columns.raw_column = raw_columns.raw_column
    where raw_columns.raw_column is null

),

retyped_columns as (

    select
        raw_columns.raw_schema,
        raw_columns.raw_table,
        raw_columns.raw_column,
        'retyped_column' as drift_kind,
        allowed_columns.expected_type,
        raw_columns.found_type
    from raw_columns
    inner join allowed_columns
        on
            raw_columns.raw_schema = allowed_columns.raw_schema
            and raw_columns.raw_table = allowed_columns.raw_table
            and raw_columns.raw_column = allowed_columns.raw_column
    where raw_columns.found_type != allowed_columns.expected_type

),

drift as (

    select * from unmapped_tables
    union all
    select * from unmapped_columns
    union all
    select * from missing_columns
    union all
    select * from retyped_columns

)

select * from drift
