{# raw is replaced whole on every load: a plain table, rebuilt each run #}
{{ config(materialized='table') }}
{%- set raw_relation = source('bynder', 'metaproperties') -%}
{%- set raw = raw_fields('bynder', 'metaproperties', raw_relation) -%}

with

source as (

    select * from {{ raw_relation }}

),

standardized as (

    select
        {# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}
        {{ stage_column(raw, 'id', 'string', 'trim') }} as metaproperty_id,
        {{ stage_column(raw, 'name', 'string', 'trim') }} as metaproperty_name,
        {{ stage_column(raw, 'label', 'string', 'trim') }} as label,
        {{ stage_column(raw, 'type', 'string', 'enum_lower') }} as type,
        {{ stage_column(raw, 'is_multi_select', 'boolean', 'none') }} as is_multi_select,
        {{ stage_column(raw, 'is_required', 'boolean', 'none') }} as is_required,
        {{ stage_column(raw, 'is_filterable', 'boolean', 'none') }} as is_filterable,
        {{ stage_column(raw, 'is_mainfilter', 'boolean', 'none') }} as is_mainfilter,
        {{ stage_column(raw, 'is_editable', 'boolean', 'none') }} as is_editable,
        {{ stage_column(raw, 'zindex', 'integer', 'none') }} as zindex,
        {{ stage_column(raw, 'labels', 'json', 'json') }} as labels,
        {{ stage_column(raw, 'options', 'json', 'json') }} as options,
        {# end of generated columns #}
        {{ quality_issues('bynder', 'metaproperties', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)

select * from standardized
