{#
    Quarantine: the staging rows of one source system that break a hard rule of the
    field-mapping dictionary (dq_issues not null), with the rules, where they came
    from, the load that brought them and the raw record. The marts read clean rows
    only, so these rows never reach them; the quarantine keeps them visible.
#}

{# the dictionary's tables of one system, sorted: [(table, primary key column)] #}
{% macro dictionary_tables(system) -%}
    {%- set tables = [] -%}
    {%- for key, fields in field_mapping_dictionary().items() | sort -%}
        {%- set parts = key.split('.') -%}
        {%- if parts[0] == system -%}
            {%- set keys = fields | selectattr('primary_key') | map(attribute='target') | list -%}
            {%- do tables.append((parts[1], keys[0] if keys else none)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}

{% macro quarantined_rows(system) -%}
    {%- for table, key in dictionary_tables(system) %}
    select
        '{{ system }}' as source_system,
        '{{ table }}' as source_table,
        'stg_{{ system }}__{{ table }}' as staging_model,
        cast({{ key }} as {{ dbt.type_string() }}) as record_key,
        dq_issues,
        _raw_record,
        _dlt_load_id,
        _loaded_at
    from {{ ref('stg_' ~ system ~ '__' ~ table) }}
    where dq_issues is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#
    The body of a quarantine_<system> model: one row per quarantined staging record of
    the system, with an id, its rules and how many, the raw record and its load.
#}
{% macro quarantine_table(system) -%}
with

quarantined as (

    {{ quarantined_rows(system) }}

),

final as (

    select
        {{ dbt_utils.generate_surrogate_key(
            ['source_table', 'record_key', '_dlt_load_id']
        ) }} as quarantine_id,
        source_system,
        source_table,
        staging_model,
        record_key,
        dq_issues,
        1 + (length(dq_issues) - length(replace(dq_issues, '; ', ''))) / 2 as issue_count,
        _raw_record,
        _dlt_load_id,
        _loaded_at,
        {{ utc_now() }} as quarantined_at
    from quarantined

)

select * from final
{%- endmacro %}

{#
    Fails on every row of the model whose key is quarantined in staging: a mart must
    never carry a row that broke a hard rule. With `window_column` (a load-time
    column), a micro-batch (var micro_batch) checks the rows loaded recently only
    (macro micro_batch_window).
#}
{% test expect_column_values_to_not_be_quarantined(model, column_name, source_system, source_table, window_column=none) %}
{%- set window = micro_batch_window(model, window_column) if window_column else '' %}

with

quarantined as (

    select record_key from {{ ref('quarantine_' ~ source_system) }}
    where source_table = '{{ source_table }}'

),

failing as (

    select model_rows.*
    from {{ model }} as model_rows
    inner join quarantined
        on cast(model_rows.{{ column_name }} as {{ dbt.type_string() }}) = quarantined.record_key
    {%- if window %}
    where model_rows.{{ window }}
    {%- endif %}

)

select * from failing

{% endtest %}
