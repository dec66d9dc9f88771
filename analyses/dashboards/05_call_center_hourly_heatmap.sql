-- Call-center operations: call volume by weekday and hour (heatmap, last 30 days).
select
    dates.day_name,
    extract(hour from calls.started_at) as hour_of_day,
    count(*) as calls,
    avg(calls.queue_seconds) as average_queue_seconds
from {{ ref('fact_calls') }} as calls
inner join {{ ref('dim_date') }} as dates on calls.call_date_key = dates.date_key
where dates.date_day > cast({{ dbt.dateadd('day', -30, dashboard_as_of()) }} as date)
group by dates.day_name, hour_of_day
order by dates.day_name, hour_of_day
