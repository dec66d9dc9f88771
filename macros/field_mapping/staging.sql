{#
    The field-mapping dictionary applied: every staging model selects
    `staged_columns(...)` and `quality_issues(...)` from its source, and nothing in
    the model lists a field by hand. Adding a field is one row in
    seeds/field_mapping.csv (then `make dictionary` regenerates the docs).
#}

{% macro mapped_fields(system, object) -%}
    {%- set rows = field_mapping_dictionary().get(system ~ '.' ~ object) -%}
    {%- if rows is none -%}
        {{ exceptions.raise_compiler_error(
            "seeds/field_mapping.csv has no rows for " ~ system ~ "." ~ object) }}
    {%- endif -%}
    {{ return(rows) }}
{%- endmacro %}

{# lower-case names of the columns a relation has now (empty while parsing) #}
{% macro existing_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}

{#
    The raw columns staging may read: those the relation has now (lower case), or none
    when that is unknown (while parsing, or before the first load created the raw
    table, as on a clean clone). Unknown means every mapped field is read, so the
    compiled SQL (and what sqlfluff lints) is the full model even on an empty
    warehouse; running it there still fails on the missing table, as it should.
#}
{% macro present_raw_columns(relation) -%}
    {#- a unit test's fixture stands in for the relation: it has no schema -#}
    {%- if not execute or relation.schema is none or relation.identifier is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if found is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(existing_columns(found)) }}
{%- endmacro %}

{#
    One standardized, renamed and typed column per mapped field. A mapped field the
    raw table lacks (not sent yet, or dropped by the API) becomes a typed null, so the
    model's output never changes shape; the drift check reports the difference.
#}
{% macro staged_columns(system, object, relation) -%}
    {%- set present = present_raw_columns(relation) -%}
    {%- for field in mapped_fields(system, object) %}
        {%- if present is none or field.raw in present %}
        cast({{ standardize(field.rule, field.raw, field.target_type) }}
            as {{ field_type(field.target_type) }}) as {{ field.target }}
        {%- else %}
        cast(null as {{ field_type(field.target_type) }}) as {{ field.target }}
        {%- endif %}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#
    Every hard rule of the dictionary a row breaks, as one text ("; "-separated),
    or null for a clean row: a required field missing, a present value the rule
    could not read, a number below its minimum. A code outside the documented set is
    not one: the row is kept (an API adds codes, Workfront organisations add custom
    statuses) and the dictionary's accepted-values tests warn about it.
#}
{% macro quality_issues(system, object, relation) -%}
    {%- set present = present_raw_columns(relation) -%}
    {%- set checks = [] -%}
    {%- for field in mapped_fields(system, object) -%}
        {%- set exists = present is none or field.raw in present -%}
        {%- set value = standardize(field.rule, field.raw, field.target_type) if exists else 'null' -%}
        {%- if field.required -%}
            {%- do checks.append("case when (" ~ value ~ ") is null then 'missing " ~ field.target ~ "' end") -%}
        {%- endif -%}
        {%- if exists and rule_can_reject(field.rule) -%}
            {%- do checks.append("case when " ~ field.raw ~ " is not null and (" ~ value
                ~ ") is null then 'unreadable " ~ field.target ~ "' end") -%}
        {%- endif -%}
        {%- if exists and field.min_value != '' -%}
            {%- do checks.append("case when (" ~ value ~ ") < " ~ field.min_value
                ~ " then '" ~ field.target ~ " below " ~ field.min_value ~ "' end") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if checks -%}
        nullif({{ join_non_null(checks, '; ') }}, '')
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{# the columns dlt adds, as staging keeps them #}
{% macro load_metadata_columns() -%}
    _dlt_load_id,
    {{ load_id_to_timestamp('_dlt_load_id') }} as _loaded_at
{%- endmacro %}

{#
    The raw rows a staging table takes in: those of the loads dlt completed (a package
    is in `_dlt_loads` with status 0 only once every file of it is in; rows of a load
    still running, or killed midway, wait for its rerun) and, on an incremental run,
    only loads newer than the newest the table holds. One pipeline's loads complete in
    the order of their ids, so no completed load is ever behind that mark.
#}
{% macro completed_raw_loads(system) -%}
    _dlt_load_id in (
        select load_id
        from {{ source(system, '_dlt_loads') }}
        where
            status = 0
            {%- if is_incremental() %}
                and load_id > (select coalesce(max(_dlt_load_id), '') from {{ this }})
            {%- endif %}
    )
{%- endmacro %}
