{#
    Incremental by record, not by event time: a call changes after it is first loaded
    (wrap-up about an hour later, corrections a day later, purges two days later), so
    a run rebuilds every call whose row or tombstone was loaded since the newest load
    it processed (minus var lookback_hours for loads that commit out of order), plus
    the rows whose dimension lookup can change (see the model's documentation).
    delete+insert on call_id replaces them; a post-hook removes calls whose latest
    version is quarantined.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='call_id',
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where call_id in (select call_id from "
            ~ "{{ ref('stg_webphone__calls') }} where dq_issues is not null)"
        ],
    )
}}
{# read by the incremental run and the post-hook, which dbt's parse does not see #}
-- depends_on: {{ ref('stg_webphone__calls') }}
-- depends_on: {{ ref('stg_webphone__calls_tombstones') }}

with

{# inlined where read: each reader's filter reaches the staging scan #}
calls as {{ inlined_cte() }} (

    select * from {{ ref('int_calls_measured') }}

),

dim_customer as (

    select * from {{ ref('dim_customer') }}

),

dim_agent as (

    select * from {{ ref('dim_agent') }}

),

dim_campaign as (

    select * from {{ ref('dim_campaign') }}

),

{% if is_incremental() %}

    {# the newest load the table holds, less var lookback_hours, as a literal #}
    {%- set loaded_since = reprocess_loaded_since() %}

    {#
        Which calls a run rebuilds is read from staging and from the table itself, by
        columns a filter on reaches the scan: the load time (`_loaded_at`), and the
        start time, bounded by the oldest call the run rebuilds. Both tables take rows
        in load order, so the database skips the older row groups (DuckDB's zone maps,
        Snowflake's pruning) and a run reads the recent days, not all history.
        int_calls_measured derives `_source_loaded_at` in a join, so a filter on it
        would read every call.
    #}
    staged_calls as {{ inlined_cte() }} (

        select * from {{ ref('stg_webphone__calls') }}

    ),

    staged_call_tombstones as {{ inlined_cte() }} (

        select * from {{ ref('stg_webphone__calls_tombstones') }}

    ),

    existing_facts as {{ inlined_cte() }} (

        select * from {{ this }}

    ),

    {# 1. calls whose row was loaded since the watermark (quarantined ones too:
       rebuilding a call is idempotent, and the post-hook removes them) #}
    restaged_calls as (

        select
            staged_calls.call_id,
            staged_calls.started_at,
            {{ near_duplicate_group('staged_calls') }}
        from staged_calls
        where staged_calls._loaded_at >= {{ loaded_since }}

    ),

    {# ... and the calls whose tombstone was #}
    changed_calls as (

        select call_id from restaged_calls

        union

        select staged_call_tombstones.call_id
        from staged_call_tombstones
        where staged_call_tombstones._loaded_at >= {{ loaded_since }}

    ),

    {# the changed calls as the table holds them #}
    changed_facts as (

        select
            existing_facts.call_id,
            existing_facts.started_at,
            {{ near_duplicate_group('existing_facts') }}
        from existing_facts
        inner join changed_calls
            on existing_facts.call_id = changed_calls.call_id

    ),

    {# 2. rows on the unknown member whose key the dimension now holds #}
    unresolved_calls as (

        {{ unknown_members_now_known('existing_facts', 'call_id, started_at', [
            ('customer_key', 'customer_id', 'dim_customer'),
            ('agent_key', 'agent_id', 'dim_agent'),
            ('campaign_key', 'campaign_code', 'dim_campaign'),
        ]) }}

    ),

    {# 3. calls a dimension version loaded since the watermark is valid for #}
    late_dimension_calls as (

        {{ late_dimension_rows('existing_facts', 'call_id, started_at', 'started_at', [
            ('customer_id', 'dim_customer'),
            ('agent_id', 'dim_agent'),
        ], loaded_since) }}

    ),

    {# 4. calls whose near-duplicate group gained or lost a member: the groups of the
       changed calls, as they are now and as the table holds them #}
    changed_groups as (

        select customer_id, agent_id, started_second from restaged_calls

        union

        select customer_id, agent_id, started_second from changed_facts

    ),

    near_duplicate_siblings as (

        select
            existing_facts.call_id,
            existing_facts.started_at
        from existing_facts
        inner join changed_groups
            on {{ in_near_duplicate_group('existing_facts', 'changed_groups') }}
        where
            existing_facts.started_at
            >= (select min(changed_groups.started_second) from changed_groups)

    ),

    {# each call with its start time, as staged now and as the table holds it #}
    calls_to_build as (

        select call_id, started_at from restaged_calls
        union all
        select call_id, started_at from changed_facts
        union all
        select call_id, started_at from unresolved_calls
        union all
        select call_id, started_at from late_dimension_calls
        union all
        select call_id, started_at from near_duplicate_siblings

    ),

    {# a join with the keys, bounded by their oldest start (a required column, so a
       clean call has one): the bound reaches the staging scan under the view #}
    batch as (

        select calls.*
        from calls
        inner join (select distinct call_id from calls_to_build) as keys
            on calls.call_id = keys.call_id
        where calls.started_at >= (select min(calls_to_build.started_at) from calls_to_build)

    ),

    batch_groups as (

        select distinct {{ near_duplicate_group('batch') }}
        from batch

    ),

    {# the members of the batch's near-duplicate groups, batch or not: the clean staged
       calls (int_calls_measured's rows) of those groups #}
    group_members as (

        select
            staged_calls.call_id,
            batch_groups.customer_id,
            batch_groups.agent_id,
            batch_groups.started_second
        from staged_calls
        inner join batch_groups
            on {{ in_near_duplicate_group('staged_calls', 'batch_groups') }}
        where
            staged_calls.dq_issues is null
            and staged_calls.started_at
            >= (select min(batch_groups.started_second) from batch_groups)

    ),

{% else %}

    batch as {{ inlined_cte() }} (

        select * from calls

    ),

    {# every call is in the batch, and so is every member of its group #}
    group_members as (

        select
            batch.call_id,
            {{ near_duplicate_group('batch') }}
        from batch

    ),

{% endif %}

{#
    Near duplicates: of the calls with the same customer, agent and start second
    (nulls alike), all but the lowest id. Ranked over every member of the batch's
    groups, here rather than in int_calls_measured, so that a run ranks the groups it
    rebuilds and not every call.
#}

near_duplicates as (

    select
        call_id,
        row_number() over (
            partition by customer_id, agent_id, started_second
            order by call_id
        ) > 1 as is_near_duplicate
    from group_members

),

joined as (

    select
        ---------- ids
        batch.call_id,
        {{ dimension_key('dim_customer.customer_key', 'batch.customer_id') }} as customer_key,
        {{ dimension_key('dim_agent.agent_key', 'batch.agent_id') }} as agent_key,
        {{ dimension_key('dim_campaign.campaign_key', 'batch.campaign_code') }} as campaign_key,
        {{ date_key('batch.started_at') }} as call_date_key,
        batch.parent_call_id,
        batch.customer_id,
        batch.agent_id,
        batch.campaign_code,
        batch.queue_id,

        ---------- strings
        batch.call_direction,
        batch.call_status,
        batch.queue_name,
        batch.disposition_code,

        ---------- numerics
        batch.ring_seconds,
        batch.queue_seconds,
        batch.talk_seconds,
        batch.hold_seconds,
        batch.hold_count,
        batch.acw_seconds,
        batch.duration_seconds,
        batch.handle_seconds,
        batch.speed_of_answer_seconds,

        ---------- booleans
        batch.is_offered_to_queue,
        batch.is_answered,
        batch.is_abandoned,
        batch.is_short_abandon,
        batch.is_answered_within_service_level,
        near_duplicates.is_near_duplicate,
        batch.is_deleted,

        ---------- timestamps
        batch.started_at,
        batch.answered_at,
        batch.ended_at,
        batch.updated_at,
        batch.deleted_at,
        batch._source_loaded_at

    from batch
    inner join near_duplicates
        on batch.call_id = near_duplicates.call_id
    left join dim_customer
        on
            batch.customer_id = dim_customer.customer_id
            and batch.started_at >= dim_customer.valid_from
            and batch.started_at < dim_customer.valid_to
    left join dim_agent
        on
            batch.agent_id = dim_agent.agent_id
            and batch.started_at >= dim_agent.valid_from
            and batch.started_at < dim_agent.valid_to
    left join dim_campaign
        on batch.campaign_code = dim_campaign.campaign_code

)

select * from joined
