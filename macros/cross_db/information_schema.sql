{#
    The warehouse catalog as the schema-drift check reads it. DuckDB and Snowflake
    both have information_schema.columns, but they scope it, case its names and spell
    dlt's data types differently; those differences live here.
#}

{#
    One row per column of the current database: table_schema, table_name,
    column_name and data_type, all lower case, data_type without its precision
    (DuckDB `DECIMAL(38,9)` and Snowflake `NUMBER` with separate precision columns
    both become the bare type name).
#}
{% macro catalog_columns() -%}
    {{ return(adapter.dispatch('catalog_columns')()) }}
{%- endmacro %}

{% macro default__catalog_columns() -%}
    (
        select
            lower(table_schema) as table_schema,
            lower(table_name) as table_name,
            lower(column_name) as column_name,
            lower({{ dbt.split_part('data_type', "'('", 1) }}) as data_type
        from information_schema.columns
        where table_catalog = '{{ target.database }}'
    )
{%- endmacro %}

{% macro snowflake__catalog_columns() -%}
    (
        select
            lower(table_schema) as table_schema,
            lower(table_name) as table_name,
            lower(column_name) as column_name,
            lower({{ dbt.split_part('data_type', "'('", 1) }}) as data_type
        from {{ target.database }}.information_schema.columns
    )
{%- endmacro %}

{#
    The warehouse data type (lower case, as catalog_columns() returns it) that dlt
    creates for a dlt data type, given as a SQL expression (the dictionary's
    raw_type): text, bigint, double, bool, json, timestamp, date or decimal.
#}
{% macro warehouse_type_of_dlt_type(dlt_type) -%}
    {{ return(adapter.dispatch('warehouse_type_of_dlt_type')(dlt_type)) }}
{%- endmacro %}

{% macro default__warehouse_type_of_dlt_type(dlt_type) -%}
    case {{ dlt_type }}
        when 'text' then 'varchar'
        when 'bigint' then 'bigint'
        when 'double' then 'double'
        when 'bool' then 'boolean'
        when 'json' then 'json'
        when 'timestamp' then 'timestamp with time zone'
        when 'date' then 'date'
        when 'decimal' then 'decimal'
    end
{%- endmacro %}

{% macro snowflake__warehouse_type_of_dlt_type(dlt_type) -%}
    case {{ dlt_type }}
        when 'text' then 'text'
        when 'bigint' then 'number'
        when 'double' then 'float'
        when 'bool' then 'boolean'
        when 'json' then 'variant'
        when 'timestamp' then 'timestamp_tz'
        when 'date' then 'date'
        when 'decimal' then 'number'
    end
{%- endmacro %}
