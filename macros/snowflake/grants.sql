{#
    Role grants. Models declare them with dbt's `grants` config (dbt_project.yml:
    the marts grant `select` to env SNOWFLAKE_READER_ROLES); on Snowflake dbt makes
    each relation's grants match the config exactly after every build, and
    `copy_grants` keeps them across `create or replace`.
#}

{#
    Snowflake: dbt-core's default grant logic (`show grants on`, then `grant` /
    `revoke` the difference). Emulator target: fakesnow implements neither SHOW GRANTS
    nor GRANT, so the statements dbt-snowflake would run are logged (dbt.log), not run:
    the grants stay reviewable there.
#}
{% macro snowflake__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- if is_snowflake_emulator() -%}
        {%- for privilege, grantees in (grant_config or {}).items() if grantees -%}
            {{ log("grant (emulator: not run): " ~ get_grant_sql(relation, privilege, grantees)) }}
        {%- endfor -%}
    {%- else -%}
        {{ dbt.default__apply_grants(relation, grant_config, should_revoke) }}
    {%- endif -%}
{%- endmacro %}

{#
    DuckDB has no roles: dbt-duckdb warns that grants are unsupported. The grants
    config is Snowflake's, and the DuckDB file is a single user's, so that is expected:
    logged at debug level instead. (PII in the DuckDB marts is masked instead; see
    macros/snowflake/masking.sql.)
#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- if grant_config -%}
        {{ log("grants (DuckDB has no roles: skipped) on " ~ relation.render(), info=false) }}
    {%- endif -%}
{%- endmacro %}

{#
    Usage on the schemas the reader roles query (on-run-end). Table grants alone do
    not let a role see a table: it needs usage on its schema. For every schema this
    invocation built, each role a model there grants `select` to gets usage on it.
    Snowflake only; logged on the emulator target.
#}
{% macro grant_reader_schema_usage(schemas) -%}
    {%- if target.type != 'snowflake' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- for node in graph.nodes.values() if node.schema in schemas -%}
        {%- for role in (node.config.get('grants') or {}).get('select', []) -%}
            {%- set statement = 'grant usage on schema ' ~ node.database ~ '.' ~ node.schema
                ~ ' to role ' ~ role -%}
            {%- if statement not in statements -%}
                {%- do statements.append(statement) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for statement in statements -%}
        {%- if is_snowflake_emulator() -%}
            {{ log("schema grant (emulator: skipped): " ~ statement) }}
        {%- else -%}
            {%- do run_query(statement) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}
