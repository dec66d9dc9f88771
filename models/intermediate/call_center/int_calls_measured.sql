with

calls as (

    select * from {{ ref('stg_webphone__calls') }}

),

calls_tombstones as (

    select * from {{ ref('stg_webphone__calls_tombstones') }}

),

clean_calls as (

    select * from calls
    where dq_issues is null

),

clean_tombstones as (

    select * from calls_tombstones
    where dq_issues is null

),

marked as (

    select
        clean_calls.*,
        clean_tombstones.call_id is not null as is_deleted,
        clean_tombstones.deleted_at,
        {{ later_loaded_at('clean_calls._loaded_at', 'clean_tombstones._loaded_at') }}
            as _source_loaded_at
    from clean_calls
    left join clean_tombstones
        on clean_calls.call_id = clean_tombstones.call_id

),

measured as (

    select
        ---------- ids
        call_id,
        parent_call_id,
        customer_id,
        agent_id,
        queue_id,
        campaign_code,

        ---------- strings
        call_direction,
        call_status,
        from_number,
        to_number,
        queue_name,
        disposition_code,
        recording_url,

        ---------- numerics
        ring_seconds,
        queue_seconds,
        talk_seconds,
        hold_seconds,
        hold_count,
        acw_seconds,
        duration_seconds,
        case
            when answered_at is not null then talk_seconds + hold_seconds + acw_seconds
        end as handle_seconds,
        case
            when answered_at is not null then ring_seconds + queue_seconds
        end as speed_of_answer_seconds,
        sentiment_score,

        ---------- booleans
        call_direction in ('inbound', 'transfer') as is_offered_to_queue,
        answered_at is not null as is_answered,
        call_status = 'abandoned' as is_abandoned,
        call_status = 'abandoned'
        and queue_seconds < {{ var('short_abandon_seconds') }} as is_short_abandon,
        answered_at is not null
        and ring_seconds + queue_seconds
        <= {{ var('service_level_seconds') }} as is_answered_within_service_level,
        is_deleted,

        ---------- timestamps
        started_at,
        answered_at,
        ended_at,
        created_at,
        updated_at,
        deleted_at,
        _source_loaded_at

    from marked

)

select * from measured
