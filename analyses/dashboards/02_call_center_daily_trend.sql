-- Call-center operations: calls offered, answered and abandoned per day (line chart).
select
    dates.date_day,
    sum(daily.calls_offered) as calls_offered,
    sum(daily.calls_answered) as calls_answered,
    sum(daily.calls_abandoned) as calls_abandoned,
    avg(daily.abandon_rate) as abandon_rate
from {{ ref('rpt_call_center_daily') }} as daily
inner join {{ ref('dim_date') }} as dates on daily.call_date_key = dates.date_key
where dates.date_day > cast({{ dbt.dateadd('day', -30, dashboard_as_of()) }} as date)
group by dates.date_day
order by dates.date_day
