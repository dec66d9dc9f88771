-- Call-center operations: disposition and status mix of the last 7 days (stacked bars).
select
    calls.call_status,
    calls.disposition_code,
    count(*) as calls,
    sum(calls.talk_seconds) as talk_seconds
from marts.fact_calls as calls
where calls.started_at > cast($as_of as timestamp) - interval 7 day
group by calls.call_status, calls.disposition_code
order by calls desc
