{#
    The field-mapping dictionary applied. Every staging model lists its columns, one
    line each, between two marker comments that tools/sync_dictionary.py writes from
    seeds/field_mapping.csv (`make dictionary`; never edit them by hand):

        {{ stage_column(raw, 'date_modified', 'timestamp', 'timestamp_utc') }} as modified_at,

    reads raw column `date_modified`, standardizes it with rule `timestamp_utc`, casts
    it to the dictionary type `timestamp` and names it `modified_at`. `raw` is
    `raw_fields(...)`, set once at the top of the model. `quality_issues(...)` checks
    the same dictionary rows, so a model never lists a hard rule by hand.
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
    What a staging model's column lines need, read once per model: the raw relation's
    present columns (`present_raw_columns`) and the dictionary's (raw column, type,
    rule) triples of the table, which `stage_column` holds each line to.
#}
{% macro raw_fields(system, object, relation) -%}
    {%- set mapped = [] -%}
    {%- for field in mapped_fields(system, object) -%}
        {%- do mapped.append(field.raw ~ ' ' ~ field.target_type ~ ' ' ~ field.rule) -%}
    {%- endfor -%}
    {{ return({
        'table': system ~ '.' ~ object,
        'present': present_raw_columns(relation),
        'mapped': mapped,
    }) }}
{%- endmacro %}

{#
    One standardized, typed column (the line names it: `... as <target>`). A raw column
    the table lacks (not sent yet, or dropped by the API) becomes a typed null, so the
    model's output never changes shape; the drift check reports the difference. A line
    the dictionary does not hold (hand-edited) stops the compilation.
#}
{% macro stage_column(raw, column, target_type, rule) -%}
    {%- if (column ~ ' ' ~ target_type ~ ' ' ~ rule) not in raw.mapped -%}
        {{ exceptions.raise_compiler_error(
            "seeds/field_mapping.csv does not map " ~ raw.table ~ "." ~ column ~ " as "
            ~ target_type ~ " with rule " ~ rule ~ ": run `make dictionary`") }}
    {%- endif -%}
    {%- if raw.present is none or column in raw.present -%}
        cast({{ standardize(rule, column, target_type) }}
            as {{ field_type(target_type) }})
    {%- else -%}
        cast(null as {{ field_type(target_type) }})
    {%- endif -%}
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
