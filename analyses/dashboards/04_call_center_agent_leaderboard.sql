-- Call-center operations: agent performance by team (top 25 agents by calls handled).
select
    agents.team,
    agents.display_name,
    count(*) as calls_handled,
    avg(calls.handle_seconds) as average_handle_seconds,
    avg(calls.speed_of_answer_seconds) as average_speed_of_answer_seconds,
    sum(case when calls.is_answered_within_service_level then 1 else 0 end) as within_service_level
from {{ ref('fact_calls') }} as calls
inner join {{ ref('dim_agent') }} as agents on calls.agent_key = agents.agent_key
inner join {{ ref('dim_date') }} as dates on calls.call_date_key = dates.date_key
where
    calls.is_answered
    and dates.date_day > cast({{ dbt.dateadd('day', -30, dashboard_as_of()) }} as date)
group by agents.team, agents.display_name
order by calls_handled desc
limit 25
