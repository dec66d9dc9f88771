{#
    Great Expectations `expect_compound_columns_to_be_unique`: fails on every
    combination of `column_list` values that appears more than once; one row per
    duplicated combination. `ignore_row_if`: `all_values_are_missing` (default) or
    `any_value_is_missing`. `quote_columns: true` quotes the column names.
#}
{% test expect_compound_columns_to_be_unique(model, column_list, quote_columns=false, ignore_row_if='all_values_are_missing', row_condition=none) %}

{%- if ignore_row_if not in ['all_values_are_missing', 'any_value_is_missing'] -%}
    {{ exceptions.raise_compiler_error(
        "ignore_row_if must be 'all_values_are_missing' or 'any_value_is_missing'") }}
{%- endif -%}
{%- set columns = [] -%}
{%- for column in column_list -%}
    {%- do columns.append(adapter.quote(column) if quote_columns else column) -%}
{%- endfor -%}
{%- set joiner = ' and ' if ignore_row_if == 'any_value_is_missing' else ' or ' -%}
{%- set present = [] -%}
{%- for column in columns -%}{%- do present.append(column ~ ' is not null') -%}{%- endfor %}

with

filtered as (

    select {{ columns | join(', ') }} from {{ model }}
    where ({{ present | join(joiner) }})
        {{- expectation_row_condition(row_condition) }}

),

duplicated as (

    select
        {{ columns | join(',\n        ') }},
        count(*) as n_records
    from filtered
    group by {{ columns | join(', ') }}
    having count(*) > 1

)

select * from duplicated

{% endtest %}
