with

{# inlined where read: each reader scans only the columns it needs #}
fact_calls as {{ inlined_cte() }} (

    select * from {{ ref('fact_calls') }}

),

surveys as (

    select * from {{ ref('int_surveys_matched_to_calls') }}

),

counted_calls as {{ inlined_cte() }} (

    select * from fact_calls
    where
        not is_deleted
        and not is_near_duplicate

),

{# queue metrics count the calls offered to the queue (inbound and transfers) #}
calls_per_queue_day as (

    select
        call_date_key,
        queue_id,
        max(queue_name) as queue_name,
        count(*) as calls,
        sum(case when not is_offered_to_queue then 1 else 0 end) as outbound_calls,
        sum(case when is_offered_to_queue then 1 else 0 end) as calls_offered,
        sum(
            case when is_offered_to_queue and is_answered then 1 else 0 end
        ) as calls_answered,
        sum(
            case when is_offered_to_queue and is_abandoned then 1 else 0 end
        ) as calls_abandoned,
        sum(
            case when is_offered_to_queue and is_short_abandon then 1 else 0 end
        ) as short_abandons,
        sum(
            case
                when is_offered_to_queue and is_answered_within_service_level then 1
                else 0
            end
        ) as calls_answered_within_service_level,
        avg(handle_seconds) as average_handle_seconds,
        avg(
            case when is_offered_to_queue then speed_of_answer_seconds end
        ) as average_speed_of_answer_seconds
    from counted_calls
    group by 1, 2

),

surveys_per_queue_day as (

    select
        counted_calls.call_date_key,
        counted_calls.queue_id,
        count(*) as surveys_answered,
        avg(surveys.csat_score) as average_csat_score,
        avg(surveys.nps_score) as average_nps_score
    from surveys
    inner join counted_calls
        on surveys.matched_call_id = counted_calls.call_id
    where
        not surveys.is_deleted
        and surveys.csat_score is not null
    group by 1, 2

),

daily as (

    select
        ---------- ids
        {{ dbt_utils.generate_surrogate_key([
            'calls_per_queue_day.call_date_key', 'calls_per_queue_day.queue_id'
        ]) }} as queue_day_key,
        calls_per_queue_day.call_date_key,
        calls_per_queue_day.queue_id,

        ---------- strings
        calls_per_queue_day.queue_name,

        ---------- numerics
        calls_per_queue_day.calls,
        calls_per_queue_day.outbound_calls,
        calls_per_queue_day.calls_offered,
        calls_per_queue_day.calls_answered,
        calls_per_queue_day.calls_abandoned,
        calls_per_queue_day.short_abandons,
        calls_per_queue_day.calls_answered_within_service_level,
        case
            when calls_per_queue_day.calls_offered - calls_per_queue_day.short_abandons > 0
                then 1.0
                    * (calls_per_queue_day.calls_abandoned - calls_per_queue_day.short_abandons)
                    / (calls_per_queue_day.calls_offered - calls_per_queue_day.short_abandons)
        end as abandon_rate,
        case
            when calls_per_queue_day.calls_offered - calls_per_queue_day.short_abandons > 0
                then 1.0 * calls_per_queue_day.calls_answered_within_service_level
                    / (calls_per_queue_day.calls_offered - calls_per_queue_day.short_abandons)
        end as service_level,
        calls_per_queue_day.average_handle_seconds,
        calls_per_queue_day.average_speed_of_answer_seconds,
        coalesce(surveys_per_queue_day.surveys_answered, 0) as surveys_answered,
        surveys_per_queue_day.average_csat_score,
        surveys_per_queue_day.average_nps_score

    from calls_per_queue_day
    left join surveys_per_queue_day
        on
            calls_per_queue_day.call_date_key = surveys_per_queue_day.call_date_key
            and calls_per_queue_day.queue_id = surveys_per_queue_day.queue_id

)

select * from daily
