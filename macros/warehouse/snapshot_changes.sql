{#
    The query of a snapshot that reads only the records changed since its last run,
    for a table too large to compare whole every few minutes.

    dbt's `hard_deletes: new_record` finds deletions by comparing every current
    version with the whole source, so each run costs the size of the history. Here
    the snapshot runs with `hard_deletes: ignore`, and this query supplies the same
    rows itself, for the records touched since the newest load the snapshot holds
    (minus var lookback_hours, for loads that commit out of order):

    * `entities` (an int_<entity>s_marked_deleted model: clean rows, `is_deleted`,
      `_loaded_at` of the row and `_deletion_loaded_at` of its tombstone) gives the
      records whose row or tombstone was loaded since then; `records` (its staging
      model) gives those whose latest row was quarantined. A source without a deletion
      feed passes `entities=none`: the touched records are then the rows of `live`
      loaded since then, and a record leaves only by quarantine;
    * a touched record that is live gives its row, with the columns of `live` (the
      int_<entity>s_filtered_to_live model the snapshot historizes) and
      `dbt_is_deleted` 'False';
    * a touched record that was deleted, or whose latest row is quarantined, while its
      current version is live, gives a copy of that version with `dbt_is_deleted`
      'True': what `new_record` writes when a record leaves `live`.

    The version stamp `version_updated_at` (the timestamp strategy's `updated_at`) is
    the record's `source_updated_at`, except on a deletion and on a record live again
    after one (a row loaded clean after a quarantine), which start at the snapshot run,
    as with `new_record`. Reading a record twice changes nothing: an unchanged stamp
    inserts no version. One difference from `new_record`: a tombstone is final, so a
    malformed copy of it loaded later does not bring the record back.

    The first run (no snapshot yet) takes every live row. The large relations are
    filtered, not joined: a comparison with a scalar subquery, or `in` a subquery,
    which DuckDB applies in its scans, so a run reads the touched rows, not the history.
#}
{% macro snapshot_changed_records(live, entities, records, unique_key, source_updated_at) -%}
    {%- set snapshotted = load_relation(this) -%}
    {%- set snapshot_run_at = utc_now() -%}
{%- if snapshotted is none %}
with

live as (

    select * from {{ live }}

),

changes as (

    select
        live.*,
        live.{{ source_updated_at }} as version_updated_at,
        'False' as dbt_is_deleted
    from live

)
{%- else %}
{%- set columns = adapter.get_columns_in_relation(live) | map(attribute='name') | list %}
{%- set kept_columns = adapter.get_columns_in_relation(snapshotted) | map(attribute='name') | map('lower') | list %}
with

watermark as (

    select {{ lookback_since('_loaded_at') }} as changed_since
    from {{ snapshotted }}

),

touched_entities as (

    select
        {{ columns | join(',\n        ') }},
        {{ 'is_deleted' if entities is not none else 'false as is_deleted' }}
    from {{ entities if entities is not none else live }}
    where _loaded_at >= (select changed_since from watermark)

),

{# the records whose tombstone was loaded since then: their key is enough, and
   reading only it spares the record's other columns #}
deleted_keys as (

    {%- if entities is not none %}

    select {{ unique_key }}
    from {{ entities }}
    where _deletion_loaded_at >= (select changed_since from watermark)

    union

    {%- endif %}

    select {{ unique_key }}
    from touched_entities
    where is_deleted

),

quarantined_keys as (

    select {{ unique_key }}
    from {{ records }}
    where
        _loaded_at >= (select changed_since from watermark)
        and dq_issues is not null

),

touched_keys as (

    select {{ unique_key }} from touched_entities
    union
    select {{ unique_key }} from deleted_keys
    union
    select {{ unique_key }} from quarantined_keys

),

touched_versions as (

    select * from {{ snapshotted }}
    where
        {{ unique_key }} in (select {{ unique_key }} from touched_keys)
        and (dbt_valid_to is null or dbt_valid_to = {{ scd_far_future() }})

),

changed_live as (

    select
        {%- for column in columns %}
        touched_entities.{{ column }},
        {%- endfor %}
        case
            when {{ snapshot_row_is_deleted('touched_versions') }}
                then {{ snapshot_run_at }}
            else touched_entities.{{ source_updated_at }}
        end as version_updated_at,
        'False' as dbt_is_deleted
    from touched_entities
    left join touched_versions
        on touched_entities.{{ unique_key }} = touched_versions.{{ unique_key }}
    where not touched_entities.is_deleted

),

gone as (

    select
        {%- for column in columns %}
        {% if column | lower in kept_columns -%}
            touched_versions.{{ column }}
        {%- else -%}
            null as {{ column }}
        {%- endif %},
        {%- endfor %}
        {{ snapshot_run_at }} as version_updated_at,
        'True' as dbt_is_deleted
    from touched_versions
    where
        not {{ snapshot_row_is_deleted('touched_versions') }}
        and (
            {{ unique_key }} in (select {{ unique_key }} from deleted_keys)
            or {{ unique_key }} in (select {{ unique_key }} from quarantined_keys)
        )

),

changes as (

    select * from changed_live
    union all
    select * from gone

)
{%- endif %}

select * from changes
{%- endmacro %}
