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
-- depends_on: {{ ref('stg_webphone__calls') }}

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

    existing_facts as {{ inlined_cte() }} (

        select * from {{ this }}

    ),

    watermark as (

        select
            {{ lookback_since('_source_loaded_at') }} as reprocess_loaded_since
        from existing_facts

    ),

    {# 1. calls whose row or tombstone was loaded since the watermark #}
    changed_calls as (

        select calls.call_id
        from calls
        cross join watermark
        where calls._source_loaded_at >= watermark.reprocess_loaded_since

    ),

    {# 2. rows on the unknown member whose key the dimension now holds #}
    unresolved_calls as (

        {{ unknown_members_now_known('existing_facts', 'call_id', [
            ('customer_key', 'customer_id', 'dim_customer'),
            ('agent_key', 'agent_id', 'dim_agent'),
            ('campaign_key', 'campaign_code', 'dim_campaign'),
        ]) }}

    ),

    {# 3. calls a dimension version loaded since the watermark is valid for #}
    late_dimension_calls as (

        select existing_facts.call_id
        from existing_facts
        inner join dim_customer
            on
                existing_facts.customer_id = dim_customer.customer_id
                and existing_facts.started_at >= dim_customer.valid_from
        cross join watermark
        where dim_customer._loaded_at >= watermark.reprocess_loaded_since

        union all

        select existing_facts.call_id
        from existing_facts
        inner join dim_agent
            on
                existing_facts.agent_id = dim_agent.agent_id
                and existing_facts.started_at >= dim_agent.valid_from
        cross join watermark
        where dim_agent._loaded_at >= watermark.reprocess_loaded_since

    ),

    {# 4. calls whose near-duplicate group gained or lost a member: the groups of the
       changed calls, as they are now and as the table holds them #}
    changed_groups as (

        select {{ near_duplicate_group('calls') }}
        from calls
        where call_id in (select call_id from changed_calls)

        union

        select {{ near_duplicate_group('existing_facts') }}
        from existing_facts
        where call_id in (select call_id from changed_calls)

    ),

    near_duplicate_siblings as (

        select existing_facts.call_id
        from existing_facts
        inner join changed_groups
            on {{ in_near_duplicate_group('existing_facts', 'changed_groups') }}

    ),

    calls_to_build as (

        select call_id from changed_calls
        union
        select call_id from unresolved_calls
        union
        select call_id from late_dimension_calls
        union
        select call_id from near_duplicate_siblings

    ),

    batch as {{ inlined_cte() }} (

        select * from calls
        where call_id in (select call_id from calls_to_build)

    ),

    {# the members of the batch's near-duplicate groups, batch or not #}
    batch_groups as (

        select distinct {{ near_duplicate_group('batch') }}
        from batch

    ),

    group_members as (

        select
            calls.call_id,
            batch_groups.customer_id,
            batch_groups.agent_id,
            batch_groups.started_second
        from calls
        inner join batch_groups
            on {{ in_near_duplicate_group('calls', 'batch_groups') }}

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
