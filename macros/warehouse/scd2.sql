{#
    Type 2 dimensions and the facts that join them. Dimension versions come from the
    snapshots (snapshots/<source>/); facts pick the version valid at their event time.
#}

{# key of the unknown member every dimension carries: facts map orphan keys to it #}
{% macro unknown_member_key() -%}
    '-1'
{%- endmacro %}

{# valid_to of a current version (the snapshots' dbt_valid_to_current) #}
{% macro scd_far_future() -%}
    cast('{{ var("scd_far_future") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{# valid_from of a key's first version: history starts before any event #}
{% macro scd_far_past() -%}
    cast('{{ var("scd_far_past") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{# a snapshot row (of the CTE or table `relation_name`, if given) that records a deletion #}
{% macro snapshot_row_is_deleted(relation_name=none) -%}
    {%- set column = (relation_name ~ '.' if relation_name else '') ~ 'dbt_is_deleted' -%}
    coalesce(cast({{ column }} as {{ dbt.type_string() }}) in ('True', 'true'), false)
{%- endmacro %}

{#
    A fact's foreign key to a Type 2 dimension: null when the fact has no natural key
    (not applicable, e.g. an abandoned call has no agent), the unknown member when no
    version of the dimension row is valid at the event (an orphan or quarantined key),
    else the version's surrogate key.
#}
{% macro dimension_key(dimension_key_column, natural_key_column) -%}
    case
        when {{ natural_key_column }} is null then null
        else coalesce({{ dimension_key_column }}, {{ unknown_member_key() }})
    end
{%- endmacro %}

{#
    An incremental fact's rows resolved to the unknown member whose key the dimension
    now holds: the rebuild resolves them (a key's versions cover all time, see
    assert_dimension_versions_are_contiguous). Rows whose key is still unknown are left
    as they are instead of being rebuilt on every run: they accumulate with history.
    `row_id`: the row id column, or a column list beginning with it. `lookups`: (fact
    key column, natural key column, dimension CTE) per dimension; the natural key has
    the same name in the fact and the dimension.
#}
{% macro unknown_members_now_known(facts, row_id, lookups) -%}
    {%- for key_column, natural_key, dimension in lookups %}
        {%- if not loop.first %}

        union all
        {% endif %}
        select {{ row_id }}
        from {{ facts }}
        where
            {{ key_column }} = {{ unknown_member_key() }}
            and {{ natural_key }} in (select {{ dimension }}.{{ natural_key }} from {{ dimension }})
    {%- endfor %}
{%- endmacro %}

{#
    An incremental fact's rows a dimension version loaded since the watermark is valid
    for (a late or corrected version that starts at or before the event): the rebuild
    picks that version up. `row_id`: the row id column, or a column list beginning with
    it (columns of `facts`). `event_time`: the fact's column compared with the version's
    valid_from. `lookups`: (natural key column, dimension CTE) per dimension; the
    natural key has the same name in the fact and the dimension. `loaded_since`: the
    run's watermark (macro reprocess_loaded_since).
#}
{% macro late_dimension_rows(facts, row_id, event_time, lookups, loaded_since) -%}
    {%- set columns = [] -%}
    {%- for column in row_id.split(',') -%}
        {%- do columns.append(facts ~ '.' ~ column | trim) -%}
    {%- endfor -%}
    {%- for natural_key, dimension in lookups %}
        {%- if not loop.first %}

        union all
        {% endif %}
        select {{ columns | join(', ') }}
        from {{ facts }}
        inner join {{ dimension }}
            on
                {{ facts }}.{{ natural_key }} = {{ dimension }}.{{ natural_key }}
                and {{ facts }}.{{ event_time }} >= {{ dimension }}.valid_from
        where {{ dimension }}._loaded_at >= {{ loaded_since }}
    {%- endfor %}
{%- endmacro %}

{# the integer yyyymmdd key of dim_date for a date or timestamp expression #}
{% macro date_key(expression) -%}
    cast(
        extract(year from {{ expression }}) * 10000
        + extract(month from {{ expression }}) * 100
        + extract(day from {{ expression }})
        as {{ dbt.type_int() }}
    )
{%- endmacro %}

{#
    The versions of a Type 2 dimension, as CTEs ending in one named `versions`, built
    from two CTEs the caller defines: the snapshot's rows, and the entity's current
    rows (an int_<entity>s_marked_deleted model: is_deleted, deleted_at and
    _deletion_loaded_at), or none for a source without a deletion feed.

    * Every snapshot row is a version. A deletion row (`dbt_is_deleted` 'True', from
      hard_deletes: new_record or macro snapshot_changed_records) starts
      when the source deleted the record (its tombstone's deleted_at), not when a
      snapshot run noticed, and counts as loaded when the tombstone was.
    * A record the source deleted before any snapshot saw it gets two versions: its
      last known state, then the deletion.
    * A key's first version is valid from the far past, each version until the next
      one starts, the last one to the far future (is_current).

    `versions` has: <key_name>, <natural_key>, the attribute columns, is_deleted,
    deleted_at, valid_from, valid_to, _loaded_at, is_current.
#}
{% macro scd2_dimension_versions(snapshot_cte, entities_cte, key_name, natural_key, columns) -%}
    {%- set attributes = columns | join(',\n        ') -%}
    {%- set is_deletion_row = snapshot_row_is_deleted() -%}
scd2_snapshot_versions as (

    select
        {{ snapshot_cte }}.dbt_scd_id as {{ key_name }},
        {{ snapshot_cte }}.{{ natural_key }},
        {%- for column in columns %}
        {{ snapshot_cte }}.{{ column }},
        {%- endfor %}
        {{ is_deletion_row }} as is_deleted,
        {%- if entities_cte %}
        case when {{ is_deletion_row }} then {{ entities_cte }}.deleted_at end as deleted_at,
        case
            when {{ is_deletion_row }}
                then coalesce({{ entities_cte }}.deleted_at, {{ snapshot_cte }}.dbt_valid_from)
            else {{ snapshot_cte }}.dbt_valid_from
        end as version_starts_at,
        case
            when {{ is_deletion_row }}
                then coalesce({{ entities_cte }}._deletion_loaded_at, {{ snapshot_cte }}._loaded_at)
            else {{ snapshot_cte }}._loaded_at
        end as _loaded_at
    from {{ snapshot_cte }}
    left join {{ entities_cte }}
        on {{ snapshot_cte }}.{{ natural_key }} = {{ entities_cte }}.{{ natural_key }}
        {%- else %}
        cast(null as {{ dbt.type_timestamp() }}) as deleted_at,
        {{ snapshot_cte }}.dbt_valid_from as version_starts_at,
        {{ snapshot_cte }}._loaded_at
    from {{ snapshot_cte }}
        {%- endif %}

),
{%- if entities_cte %}

scd2_captured_keys as (

    select distinct {{ natural_key }}
    from {{ snapshot_cte }}

),

scd2_never_captured as (

    select {{ entities_cte }}.*
    from {{ entities_cte }}
    left join scd2_captured_keys
        on {{ entities_cte }}.{{ natural_key }} = scd2_captured_keys.{{ natural_key }}
    where
        {{ entities_cte }}.is_deleted
        and scd2_captured_keys.{{ natural_key }} is null

),

scd2_uncaptured_versions as (

    select
        {{ dbt_utils.generate_surrogate_key([natural_key, "'last_known'"]) }} as {{ key_name }},
        {{ natural_key }},
        {{ attributes }},
        false as is_deleted,
        cast(null as {{ dbt.type_timestamp() }}) as deleted_at,
        {{ scd_far_past() }} as version_starts_at,
        _loaded_at
    from scd2_never_captured

    union all

    select
        {{ dbt_utils.generate_surrogate_key([natural_key, "'deleted'"]) }} as {{ key_name }},
        {{ natural_key }},
        {{ attributes }},
        true as is_deleted,
        deleted_at,
        deleted_at as version_starts_at,
        _deletion_loaded_at as _loaded_at
    from scd2_never_captured

),
{%- endif %}

scd2_all_versions as (

    select * from scd2_snapshot_versions
    {%- if entities_cte %}
    union all
    select * from scd2_uncaptured_versions
    {%- endif %}

),

versions as (

    select
        {{ key_name }},
        {{ natural_key }},
        {{ attributes }},
        is_deleted,
        deleted_at,
        case
            when row_number() over (
                partition by {{ natural_key }}
                order by version_starts_at
            ) = 1
                then {{ scd_far_past() }}
            else version_starts_at
        end as valid_from,
        coalesce(
            lead(version_starts_at) over (
                partition by {{ natural_key }}
                order by version_starts_at
            ),
            {{ scd_far_future() }}
        ) as valid_to,
        coalesce(
            lead(version_starts_at) over (
                partition by {{ natural_key }}
                order by version_starts_at
            ),
            {{ scd_far_future() }}
        ) = {{ scd_far_future() }} as is_current,
        _loaded_at
    from scd2_all_versions

)
{%- endmacro %}

{#
    An incremental Type 2 dimension's run: the natural keys whose versions can have
    changed since the dimension was built, as a CTE `scd2_changed_keys` (after one
    named `scd2_watermark`), from the caller's CTEs of the snapshot's rows and the
    entity's rows (or none). A key's versions depend only on its own snapshot and
    entity rows, so rebuilding these keys (delete+insert on the natural key) equals a
    full rebuild. A key changed when a snapshot row was loaded since the newest load
    the dimension holds (minus var lookback_hours, for loads that commit out of order:
    a new or reappearing version; its predecessor's dbt_valid_to moves with it), when
    the snapshot recorded its deletion since then (a deletion row starts at the
    snapshot's run), or when the entity's row or tombstone was loaded since then. Each
    condition is its own query, not one `or`: a single comparison with a load time
    reaches the table scan (zone maps), an `or` of two reads every row.
#}
{% macro scd2_changed_keys(snapshot_cte, entities_cte, natural_key) -%}
scd2_watermark as (

    select
        {{ lookback_since('_loaded_at') }} as changed_since
    from {{ this }}

),

scd2_changed_keys as (

    select {{ snapshot_cte }}.{{ natural_key }}
    from {{ snapshot_cte }}
    cross join scd2_watermark
    where {{ snapshot_cte }}._loaded_at >= scd2_watermark.changed_since

    union

    select {{ snapshot_cte }}.{{ natural_key }}
    from {{ snapshot_cte }}
    cross join scd2_watermark
    where
        {{ snapshot_cte }}.dbt_valid_from >= scd2_watermark.changed_since
        and {{ snapshot_row_is_deleted() }}
    {%- if entities_cte %}

    union

    select {{ entities_cte }}.{{ natural_key }}
    from {{ entities_cte }}
    cross join scd2_watermark
    where {{ entities_cte }}._loaded_at >= scd2_watermark.changed_since

    union

    select {{ entities_cte }}.{{ natural_key }}
    from {{ entities_cte }}
    cross join scd2_watermark
    where {{ entities_cte }}._deletion_loaded_at >= scd2_watermark.changed_since
    {%- endif %}

)
{%- endmacro %}
