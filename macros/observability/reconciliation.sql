{#
    The staging tables whose clean rows must all reach a fact, and how to find them
    there (reconciliation: clean = in marts).
#}
{% macro reconciliation_fact_feeds() -%}
    {{ return([
        {'system': 'webphone', 'table': 'calls', 'key': 'call_id', 'fact': 'fact_calls', 'fact_key': 'call_id'},
        {'system': 'bynder', 'table': 'usage', 'key': 'usage_id', 'fact': 'fact_asset_usage', 'fact_key': 'usage_id'},
        {'system': 'workfront', 'table': 'hours', 'key': 'time_entry_id', 'fact': 'fact_project_hours', 'fact_key': 'time_entry_id'},
    ]) }}
{%- endmacro %}

{#
    Aggregates compared between staging (all rows, clean rows, quarantined rows) and
    the marts: the marts must hold exactly the clean total. aggregate: sum or
    count_distinct of the column.
#}
{% macro reconciliation_aggregate_measures() -%}
    {{ return([
        {'measure': 'total call seconds', 'staging': 'stg_webphone__calls', 'mart': 'fact_calls', 'column': 'duration_seconds', 'aggregate': 'sum'},
        {'measure': 'total hours worked', 'staging': 'stg_workfront__hours', 'mart': 'fact_project_hours', 'column': 'hours_worked', 'aggregate': 'sum'},
        {'measure': 'asset usage events', 'staging': 'stg_bynder__usage', 'mart': 'fact_asset_usage', 'column': 'usage_id', 'aggregate': 'count_distinct'},
        {'measure': 'assets', 'staging': 'stg_bynder__media', 'mart': 'dim_asset', 'column': 'asset_id', 'aggregate': 'count_distinct'},
    ]) }}
{%- endmacro %}

{# the aggregate of a column, optionally only over rows meeting a condition #}
{% macro reconciliation_aggregate(aggregate, column, condition=none) -%}
    {%- set value = 'case when ' ~ condition ~ ' then ' ~ column ~ ' end' if condition else column -%}
    {%- if aggregate == 'sum' -%}sum({{ value }})
    {%- elif aggregate == 'count_distinct' -%}count(distinct {{ value }})
    {%- else -%}{{ exceptions.raise_compiler_error("aggregate: sum or count_distinct") }}
    {%- endif -%}
{%- endmacro %}
