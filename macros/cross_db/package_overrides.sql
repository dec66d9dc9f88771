{#
    The project's versions of two package macros, found first through the `dispatch`
    search order of dbt_project.yml. Each fixes one adapter's SQL and nothing else.
#}

{#
    dbt_expectations' regular expression match (its regex tests) on Snowflake. The
    package quotes a raw pattern (`is_raw: true`) as $$<pattern>$$, which ends the
    literal early when the pattern ends in the `$` anchor (every format the dictionary
    checks does); a plain literal would read its backslashes as escapes. This writes a
    raw pattern as a string literal with backslashes and quotes escaped.
#}
{% macro snowflake__regexp_instr(source_value, regexp, position, occurrence, is_raw, flags) -%}
    {%- if is_raw -%}
        {%- set literal = "'" ~ (regexp | replace("\\", "\\\\") | replace("'", "''")) ~ "'" -%}
    {%- else -%}
        {%- set literal = "'" ~ regexp ~ "'" -%}
    {%- endif -%}
    regexp_instr({{ source_value }}, {{ literal }}, {{ position }}, {{ occurrence }}, 0, '{{ flags or "c" }}')
{%- endmacro %}

{#
    dbt_date's "now" (dbt_expectations' recency tests read it) on DuckDB. dbt_date casts
    current_timestamp to a naive timestamp in the session's time zone (the machine's)
    before converting it, which is off by the machine's UTC offset unless that is UTC.
#}
{% macro duckdb__now(tz=none) -%}
    cast(timezone('{{ tz or var("dbt_date:time_zone") }}', current_timestamp) as timestamp)
{%- endmacro %}

{#
    dbt_utils' deduplicate (the staging models of append-only tables) on DuckDB. The
    package's default joins each row back to its numbered copy with a natural join,
    which drops every row holding a null in any column (a clean row's dq_issues is
    null); DuckDB has `qualify`, as Snowflake does, so this uses dbt_utils' Snowflake
    version.
#}
{% macro duckdb__deduplicate(relation, partition_by, order_by) -%}
    {{ dbt_utils.snowflake__deduplicate(relation, partition_by, order_by) }}
{%- endmacro %}
