with

surveys as (

    select * from {{ ref('stg_webphone__surveys') }}

),

surveys_tombstones as (

    select * from {{ ref('stg_webphone__surveys_tombstones') }}

),

calls as (

    select * from {{ ref('int_calls_measured') }}

),

clean_surveys as (

    select * from surveys
    where dq_issues is null

),

clean_tombstones as (

    select * from surveys_tombstones
    where dq_issues is null

),

{# rule 1: the survey's own call_id names a clean call #}
matched_by_call_id as (

    select
        clean_surveys.survey_id,
        calls.call_id as matched_call_id
    from clean_surveys
    inner join calls
        on clean_surveys.call_id = calls.call_id

),

{# the surveys rule 1 left unmatched: no call_id, an unknown one, or a quarantined call #}
unmatched_surveys as (

    select clean_surveys.*
    from clean_surveys
    left join matched_by_call_id
        on clean_surveys.survey_id = matched_by_call_id.survey_id
    where matched_by_call_id.survey_id is null

),

{#
    rule 2, for those only (filtered before this join, not after: the join compares
    each survey with every call of its customer): the customer's latest call, with the
    same agent when the survey names one, that ended at most survey_match_window_minutes
    before the survey was sent
#}
candidates_by_customer as (

    select
        unmatched_surveys.survey_id,
        calls.call_id as matched_call_id,
        row_number() over (
            partition by unmatched_surveys.survey_id
            order by calls.ended_at desc, calls.call_id desc
        ) as candidate_rank
    from unmatched_surveys
    inner join calls
        on
            unmatched_surveys.customer_id = calls.customer_id
            and (
                unmatched_surveys.agent_id is null
                or unmatched_surveys.agent_id = calls.agent_id
            )
            and unmatched_surveys.sent_at >= calls.ended_at
            and calls.ended_at >= {{ dbt.dateadd(
                'minute',
                -1 * var('survey_match_window_minutes'),
                'unmatched_surveys.sent_at'
            ) }}

),

matched_by_customer as (

    select
        survey_id,
        matched_call_id
    from candidates_by_customer
    where candidate_rank = 1

),

matched as (

    select
        ---------- ids
        clean_surveys.survey_id,
        clean_surveys.call_id,
        coalesce(
            matched_by_call_id.matched_call_id,
            matched_by_customer.matched_call_id
        ) as matched_call_id,
        clean_surveys.agent_id,
        clean_surveys.customer_id,

        ---------- strings
        case
            when matched_by_call_id.survey_id is not null then 'call_id'
            when matched_by_customer.survey_id is not null then 'customer_recent_call'
            else 'unmatched'
        end as match_rule,
        clean_surveys.survey_channel,
        clean_surveys.survey_status,
        clean_surveys.comment,

        ---------- numerics
        clean_surveys.csat_score,
        clean_surveys.csat_min,
        clean_surveys.csat_max,
        clean_surveys.nps_score,

        ---------- booleans
        coalesce(
            matched_by_call_id.survey_id,
            matched_by_customer.survey_id
        ) is not null as is_matched,
        clean_tombstones.survey_id is not null as is_deleted,

        ---------- timestamps
        clean_surveys.sent_at,
        clean_surveys.completed_at,
        clean_surveys.updated_at,
        clean_tombstones.deleted_at

    from clean_surveys
    left join matched_by_call_id
        on clean_surveys.survey_id = matched_by_call_id.survey_id
    left join matched_by_customer
        on clean_surveys.survey_id = matched_by_customer.survey_id
    left join clean_tombstones
        on clean_surveys.survey_id = clean_tombstones.survey_id

)

select * from matched
