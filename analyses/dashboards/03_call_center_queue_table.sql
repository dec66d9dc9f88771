-- Call-center operations: service level and speed of answer per queue (table).
select
    daily.queue_name,
    sum(daily.calls_offered) as calls_offered,
    1.0 * sum(daily.calls_answered_within_service_level)
    / nullif(sum(daily.calls_offered), 0) as service_level,
    avg(daily.average_speed_of_answer_seconds) as average_speed_of_answer_seconds,
    avg(daily.average_nps_score) as average_nps_score
from {{ ref('rpt_call_center_daily') }} as daily
inner join {{ ref('dim_date') }} as dates on daily.call_date_key = dates.date_key
where dates.date_day > cast({{ dbt.dateadd('day', -30, dashboard_as_of()) }} as date)
group by daily.queue_name
order by calls_offered desc
