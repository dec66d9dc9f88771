{#
    Incremental by record, as fact_calls: time entries change after they are first
    loaded (approved about a day later, hard-deleted up to three days later and then
    seen only in the journal), so a run rebuilds every entry whose row or journal entry
    was loaded since the newest load it processed (minus var lookback_hours), plus the
    rows whose dimension lookups can change. delete+insert on time_entry_id; a
    post-hook removes entries whose latest version is quarantined.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='time_entry_id',
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where time_entry_id in (select time_entry_id from "
            ~ "{{ ref('stg_workfront__hours') }} where dq_issues is not null)"
        ],
    )
}}
{# read by the incremental run and the post-hook, which dbt's parse does not see #}
-- depends_on: {{ ref('stg_workfront__hours') }}
-- depends_on: {{ ref('stg_workfront__journal_entries') }}

with

time_entries as (

    select * from {{ ref('int_time_entries_marked_deleted') }}

),

users as (

    select * from {{ ref('int_users_matched_to_agents') }}

),

dim_project as (

    select * from {{ ref('dim_project') }}

),

dim_agent as (

    select * from {{ ref('dim_agent') }}

),

{# inlined where read: each reader's filter reaches the staging scan #}
entries as {{ inlined_cte() }} (

    select
        time_entries.*,
        users.agent_id,
        cast(time_entries.worked_date as {{ dbt.type_timestamp() }}) as worked_at
    from time_entries
    left join users
        on time_entries.user_id = users.user_id

),

{% if is_incremental() %}

    {# the newest load the table holds, less var lookback_hours, as a literal #}
    {%- set loaded_since = reprocess_loaded_since() %}

    {#
        Which entries a run rebuilds is read from staging and from the table itself, by
        columns a filter on reaches the scan, as in fact_calls: the load time, and the
        work date, bounded by the oldest entry the run rebuilds. entries derives
        `_source_loaded_at` in two joins, so a filter on it reads every entry.
    #}
    staged_time_entries as {{ inlined_cte() }} (

        select * from {{ ref('stg_workfront__hours') }}

    ),

    staged_journal_entries as {{ inlined_cte() }} (

        select * from {{ ref('stg_workfront__journal_entries') }}

    ),

    existing_facts as {{ inlined_cte() }} (

        select * from {{ this }}

    ),

    {# 1. entries whose row was loaded since the watermark (quarantined ones too:
       rebuilding an entry is idempotent, and the post-hook removes them) #}
    restaged_entries as (

        select
            staged_time_entries.time_entry_id,
            staged_time_entries.worked_date
        from staged_time_entries
        where staged_time_entries._loaded_at >= {{ loaded_since }}

    ),

    {# ... and those whose journal entry was, as the table holds them #}
    journaled_entries as (

        select
            existing_facts.time_entry_id,
            existing_facts.worked_date
        from existing_facts
        inner join staged_journal_entries
            on existing_facts.time_entry_id = staged_journal_entries.time_entry_id
        where staged_journal_entries._loaded_at >= {{ loaded_since }}

    ),

    {# 2. rows on the unknown member whose key the dimension now holds #}
    unresolved_entries as (

        {{ unknown_members_now_known('existing_facts', 'time_entry_id, worked_date', [
            ('project_key', 'project_id', 'dim_project'),
            ('agent_key', 'agent_id', 'dim_agent'),
        ]) }}

    ),

    {# 3. entries a dimension version, or a user's agent match, loaded since is valid for #}
    late_dimension_entries as (

        {{ late_dimension_rows('existing_facts', 'time_entry_id, worked_date', 'worked_date', [
            ('project_id', 'dim_project'),
            ('agent_id', 'dim_agent'),
        ], loaded_since) }}

        union all

        select
            existing_facts.time_entry_id,
            existing_facts.worked_date
        from existing_facts
        inner join users
            on existing_facts.user_id = users.user_id
        where users._loaded_at >= {{ loaded_since }}

    ),

    {# each entry with its work date, as staged now and as the table holds it #}
    entries_to_build as (

        select time_entry_id, worked_date from restaged_entries
        union all
        select time_entry_id, worked_date from journaled_entries
        union all
        select time_entry_id, worked_date from unresolved_entries
        union all
        select time_entry_id, worked_date from late_dimension_entries

    ),

    {# a join with the keys, bounded by their oldest work date (a required column, so
       a clean entry has one) #}
    batch as (

        select entries.*
        from entries
        inner join (select distinct time_entry_id from entries_to_build) as keys
            on entries.time_entry_id = keys.time_entry_id
        where
            entries.worked_date
            >= (select min(entries_to_build.worked_date) from entries_to_build)

    ),

{% else %}

    batch as (

        select * from entries

    ),

{% endif %}

joined as (

    select
        ---------- ids
        batch.time_entry_id,
        {{ dimension_key('dim_project.project_key', 'batch.project_id') }} as project_key,
        {{ dimension_key('dim_agent.agent_key', 'batch.agent_id') }} as agent_key,
        {{ date_key('batch.worked_date') }} as worked_date_key,
        batch.project_id,
        batch.task_id,
        batch.user_id,
        batch.agent_id,
        batch.role_id,
        batch.hour_type_id,
        batch.timesheet_id,

        ---------- strings
        batch.time_entry_status,

        ---------- numerics
        batch.hours_worked,
        batch.actual_cost,

        ---------- booleans
        batch.is_approved,
        batch.is_deleted,

        ---------- dates
        batch.worked_date,

        ---------- timestamps
        batch.approved_at,
        batch.updated_at,
        batch.deleted_at,
        batch._source_loaded_at

    from batch
    left join dim_project
        on
            batch.project_id = dim_project.project_id
            and batch.worked_at >= dim_project.valid_from
            and batch.worked_at < dim_project.valid_to
    left join dim_agent
        on
            batch.agent_id = dim_agent.agent_id
            and batch.worked_at >= dim_agent.valid_from
            and batch.worked_at < dim_agent.valid_to

)

select * from joined
