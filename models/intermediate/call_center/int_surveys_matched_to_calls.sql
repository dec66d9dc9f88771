{#
    Incremental by survey: matching every survey to every call each run would grow with
    history. A survey's match depends only on its own row and tombstone and on the
    clean calls, so a run rematches the surveys whose row or tombstone was loaded since
    the newest load it processed (minus var lookback_hours, for loads that commit out
    of order), plus those a call loaded since then can change the match of: the call's
    own surveys (rule 1), the surveys the table holds matched to it (the call may have
    changed or been quarantined), and its customer's surveys sent within the window
    after it ended (rule 2). delete+insert on survey_id; a post-hook removes surveys
    whose latest version is quarantined.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='survey_id',
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where survey_id in (select survey_id from "
            ~ "{{ ref('stg_webphone__surveys') }} where dq_issues is not null)"
        ],
    )
}}
{# read by the incremental run, which dbt's parse does not see #}
-- depends_on: {{ ref('stg_webphone__calls') }}

with

{# inlined where read: each reader's filter reaches the staging scan #}
surveys as {{ inlined_cte() }} (

    select * from {{ ref('stg_webphone__surveys') }}

),

surveys_tombstones as {{ inlined_cte() }} (

    select * from {{ ref('stg_webphone__surveys_tombstones') }}

),

calls as {{ inlined_cte() }} (

    select * from {{ ref('int_calls_measured') }}

),

clean_surveys as {{ inlined_cte() }} (

    select * from surveys
    where dq_issues is null

),

clean_tombstones as (

    select * from surveys_tombstones
    where dq_issues is null

),

{% if is_incremental() %}

    {# the newest load the table holds, less var lookback_hours, as a literal #}
    {%- set loaded_since = reprocess_loaded_since() %}

    staged_calls as {{ inlined_cte() }} (

        select * from {{ ref('stg_webphone__calls') }}

    ),

    existing_matches as {{ inlined_cte() }} (

        select * from {{ this }}

    ),

    {# calls whose row was loaded since the watermark (quarantined ones too) #}
    changed_calls as (

        select
            staged_calls.call_id,
            staged_calls.customer_id,
            staged_calls.ended_at
        from staged_calls
        where staged_calls._loaded_at >= {{ loaded_since }}

    ),

    surveys_to_match as (

        {# 1. surveys whose row was loaded since the watermark ... #}
        select surveys.survey_id
        from surveys
        where surveys._loaded_at >= {{ loaded_since }}

        union

        {# ... or whose tombstone was #}
        select surveys_tombstones.survey_id
        from surveys_tombstones
        where surveys_tombstones._loaded_at >= {{ loaded_since }}

        union

        {# 2. a changed call's own surveys (rule 1) #}
        select clean_surveys.survey_id
        from clean_surveys
        inner join changed_calls
            on clean_surveys.call_id = changed_calls.call_id

        union

        {# 3. the surveys the table holds matched to a changed call #}
        select existing_matches.survey_id
        from existing_matches
        inner join changed_calls
            on existing_matches.matched_call_id = changed_calls.call_id

        union

        {# 4. its customer's surveys sent within the window after it ended (rule 2) #}
        select clean_surveys.survey_id
        from clean_surveys
        inner join changed_calls
            on {{ survey_sent_within_window_of_call('clean_surveys', 'changed_calls') }}

    ),

    batch as (

        select clean_surveys.*
        from clean_surveys
        inner join surveys_to_match
            on clean_surveys.survey_id = surveys_to_match.survey_id

    ),

{% else %}

    batch as (

        select * from clean_surveys

    ),

{% endif %}

{# rule 1: the survey's own call_id names a clean call #}
matched_by_call_id as (

    select
        batch.survey_id,
        calls.call_id as matched_call_id
    from batch
    inner join calls
        on batch.call_id = calls.call_id

),

{# the surveys rule 1 left unmatched: no call_id, an unknown one, or a quarantined call #}
unmatched_surveys as (

    select batch.*
    from batch
    left join matched_by_call_id
        on batch.survey_id = matched_by_call_id.survey_id
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
            {{ survey_sent_within_window_of_call('unmatched_surveys', 'calls') }}
            and (
                unmatched_surveys.agent_id is null
                or unmatched_surveys.agent_id = calls.agent_id
            )

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
        batch.survey_id,
        batch.call_id,
        coalesce(
            matched_by_call_id.matched_call_id,
            matched_by_customer.matched_call_id
        ) as matched_call_id,
        batch.agent_id,
        batch.customer_id,

        ---------- strings
        case
            when matched_by_call_id.survey_id is not null then 'call_id'
            when matched_by_customer.survey_id is not null then 'customer_recent_call'
            else 'unmatched'
        end as match_rule,
        batch.survey_channel,
        batch.survey_status,
        batch.comment,

        ---------- numerics
        batch.csat_score,
        batch.csat_min,
        batch.csat_max,
        batch.nps_score,

        ---------- booleans
        coalesce(
            matched_by_call_id.survey_id,
            matched_by_customer.survey_id
        ) is not null as is_matched,
        clean_tombstones.survey_id is not null as is_deleted,

        ---------- timestamps
        batch.sent_at,
        batch.completed_at,
        batch.updated_at,
        clean_tombstones.deleted_at,
        {{ later_loaded_at('batch._loaded_at', 'clean_tombstones._loaded_at') }}
            as _source_loaded_at

    from batch
    left join matched_by_call_id
        on batch.survey_id = matched_by_call_id.survey_id
    left join matched_by_customer
        on batch.survey_id = matched_by_customer.survey_id
    left join clean_tombstones
        on batch.survey_id = clean_tombstones.survey_id

)

select * from matched
