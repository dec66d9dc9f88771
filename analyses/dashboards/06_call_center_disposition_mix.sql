-- Call-center operations: disposition and status mix of the last 7 days (stacked bars).
select
    calls.call_status,
    calls.disposition_code,
    count(*) as calls,
    sum(calls.talk_seconds) as talk_seconds
from {{ ref('fact_calls') }} as calls
where calls.started_at > {{ dbt.dateadd('day', -7, dashboard_as_of()) }}
group by calls.call_status, calls.disposition_code
order by calls desc
