-- Call-center operations: the KPI tiles of the last 30 days.
select
    sum(calls) as calls,
    sum(calls_answered) as calls_answered,
    sum(calls_abandoned) as calls_abandoned,
    1.0 * sum(calls_answered_within_service_level) / nullif(sum(calls_offered), 0) as service_level,
    avg(average_handle_seconds) as average_handle_seconds,
    avg(average_csat_score) as average_csat_score
from marts.rpt_call_center_daily as daily
inner join marts.dim_date as dates on daily.call_date_key = dates.date_key
where dates.date_day > cast($as_of as date) - interval 30 day
