-- Call-center operations: the KPI tiles of the last 30 days.
select
    sum(daily.calls) as calls,
    sum(daily.calls_answered) as calls_answered,
    sum(daily.calls_abandoned) as calls_abandoned,
    1.0 * sum(daily.calls_answered_within_service_level)
    / nullif(sum(daily.calls_offered), 0) as service_level,
    avg(daily.average_handle_seconds) as average_handle_seconds,
    avg(daily.average_csat_score) as average_csat_score
from {{ ref('rpt_call_center_daily') }} as daily
inner join {{ ref('dim_date') }} as dates on daily.call_date_key = dates.date_key
where dates.date_day > cast({{ dbt.dateadd('day', -30, dashboard_as_of()) }} as date)
