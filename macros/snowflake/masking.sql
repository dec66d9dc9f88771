{#
    PII protection, driven by the field-mapping dictionary's `pii` class (name, email,
    phone, free_text). The dictionary's classes reach the staging columns' `meta.pii`
    (tools/sync_dictionary.py), and mart columns that carry PII declare the same
    `meta.pii` in their YAML.

    * Snowflake: one dynamic data masking policy per class (create_masking_policies,
      on-run-start), attached after each build to every column whose `meta.pii` is
      set (apply_masking_policies, post-hook). Roles in var
      `snowflake_pii_reader_roles` see the values; every other role sees the mask.
      The role dbt runs as must be in that list, or models built from a masked
      column would read masks.
    * DuckDB (no roles): the marts that people read hold the mask itself
      (mask_pii in the mart SQL). The staging views keep the values.

    The mask is the same SQL on both, so a DuckDB mart shows what a non-privileged
    Snowflake role sees.
#}

{# the PII classes the dictionary uses, each with the policy that protects it #}
{% macro pii_classes() -%}
    {{ return(['name', 'email', 'phone', 'free_text']) }}
{%- endmacro %}

{#
    The masked form of a text value of a PII class:
    name       a stable pseudonym ('anon-' and 10 hex digits of the value's md5), so
               people stay distinguishable without their names;
    email      the domain kept, the local part starred ('*****@example.com');
    phone      the last four digits kept ('*******1234');
    free_text  redacted ('*****').
    Null stays null. Idempotent: masking a mask returns it unchanged.
#}
{% macro pii_mask_sql(pii_class, value) -%}
    {%- if pii_class == 'name' -%}
        case
            when {{ value }} is null or {{ value }} like 'anon-%' then {{ value }}
            else 'anon-' || substr(md5({{ value }}), 1, 10)
        end
    {%- elif pii_class == 'email' -%}
        case
            when {{ value }} is null then null
            else {{ regex_replace_all(value, '^[^@]*', '*****') }}
        end
    {%- elif pii_class == 'phone' -%}
        case
            when {{ value }} is null then null
            else '*******' || right({{ value }}, 4)
        end
    {%- elif pii_class == 'free_text' -%}
        case when {{ value }} is null then null else '*****' end
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown PII class '" ~ pii_class ~ "'; expected one of "
            ~ pii_classes() | join(', ')) }}
    {%- endif -%}
{%- endmacro %}

{#
    A PII column as a mart exposes it. DuckDB: the mask (no roles can protect the
    value). Snowflake: the value; the column's masking policy masks it at query time
    for roles outside var `snowflake_pii_reader_roles`.
#}
{% macro mask_pii(column, pii_class) -%}
    {{ return(adapter.dispatch('mask_pii')(column, pii_class)) }}
{%- endmacro %}

{% macro default__mask_pii(column, pii_class) -%}
    {{ pii_mask_sql(pii_class, column) }}
{%- endmacro %}

{% macro snowflake__mask_pii(column, pii_class) -%}
    {{ column }}
{%- endmacro %}

{# <database>.<schema>.pii_<class>: where the policies live #}
{% macro masking_policy_name(pii_class) -%}
    {{ return(target.database ~ '.' ~ var('snowflake_masking_policy_schema') ~ '.pii_' ~ pii_class) }}
{%- endmacro %}

{# the body of a class's policy: the value for privileged roles, else the mask #}
{% macro masking_policy_body(pii_class) -%}
    {%- set checks = [] -%}
    {%- for role in var('snowflake_pii_reader_roles') -%}
        {%- do checks.append("is_role_in_session('" ~ role | upper ~ "')") -%}
    {%- endfor -%}
    case
        when {{ checks | join(' or ') if checks else 'false' }} then val
        else {{ pii_mask_sql(pii_class, 'val') }}
    end
{%- endmacro %}

{#
    on-run-start: one masking policy per PII class, created if missing and its body
    set on every run (a policy attached to columns cannot be replaced, only altered).
    Snowflake only; skipped (logged) on the emulator target, since fakesnow has no
    masking policies.
#}
{% macro create_masking_policies() -%}
    {%- if target.type != 'snowflake' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set privileged = var('snowflake_pii_reader_roles') | map('upper') | list -%}
    {%- if (target.role or '') | upper not in privileged -%}
        {{ exceptions.raise_compiler_error(
            "dbt runs as role " ~ target.role ~ ", which is not in var snowflake_pii_reader_roles ("
            ~ privileged | join(', ') ~ "): models built from masked columns would hold masks") }}
    {%- endif -%}
    {%- set statements = [
        'create schema if not exists ' ~ target.database ~ '.'
        ~ var('snowflake_masking_policy_schema')
    ] -%}
    {%- for pii_class in pii_classes() -%}
        {%- do statements.append(
            'create masking policy if not exists ' ~ masking_policy_name(pii_class)
            ~ ' as (val string) returns string -> ' ~ masking_policy_body(pii_class)
            ~ " comment = 'PII class " ~ pii_class ~ " (field-mapping dictionary)'") -%}
        {%- do statements.append(
            'alter masking policy ' ~ masking_policy_name(pii_class)
            ~ ' set body -> ' ~ masking_policy_body(pii_class)) -%}
    {%- endfor -%}
    {%- for statement in statements -%}
        {%- if is_snowflake_emulator() -%}
            {{ log("masking policy (emulator: skipped): " ~ statement.split(' as ')[0].split(' set ')[0]) }}
        {%- else -%}
            {%- do run_query(statement) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}

{# {column name: PII class} of a node, from its columns' meta.pii #}
{% macro pii_columns(node) -%}
    {%- set found = {} -%}
    {%- for name, column in node.columns.items() -%}
        {%- set meta = column.get('meta') or {} -%}
        {%- set column_config = column.get('config') or {} -%}
        {%- set pii_class = meta.get('pii') or (column_config.get('meta') or {}).get('pii') -%}
        {%- if pii_class and pii_class != 'none' -%}
            {%- do found.update({name | lower: pii_class}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{#
    post-hook: attach each PII column's policy (`force` replaces a policy already
    there, so incremental models are re-attached safely). Snowflake only; logged on
    the emulator target.
#}
{% macro apply_masking_policies() -%}
    {%- if target.type != 'snowflake' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set wanted = pii_columns(model) -%}
    {%- if not wanted -%}
        {{ return('') }}
    {%- endif -%}
    {%- set relation_type = 'view' if config.get('materialized') == 'view' else 'table' -%}
    {%- set existing = adapter.get_columns_in_relation(this) -%}
    {%- for column in existing if column.name | lower in wanted -%}
        {%- set statement = 'alter ' ~ relation_type ~ ' ' ~ this.render()
            ~ ' modify column ' ~ adapter.quote(column.name)
            ~ ' set masking policy ' ~ masking_policy_name(wanted[column.name | lower]) ~ ' force' -%}
        {%- if not column.is_string() -%}
            {{ exceptions.warn("masking policy not attached to " ~ this.render() ~ "." ~ column.name
                ~ ": the policies take text, the column is " ~ column.data_type) }}
        {%- elif is_snowflake_emulator() -%}
            {{ log("masking policy (emulator: skipped): " ~ statement) }}
        {%- else -%}
            {%- do run_query(statement) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}
