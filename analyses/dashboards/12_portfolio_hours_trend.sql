-- Project portfolio: hours and labour cost per business unit and week (last 30 days).
select
    dates.week_start_date,
    projects.business_unit,
    sum(hours.hours_worked) as hours_worked,
    sum(hours.actual_cost) as actual_cost,
    count(distinct hours.project_id) as projects
from {{ ref('fact_project_hours') }} as hours
inner join {{ ref('dim_project') }} as projects on hours.project_key = projects.project_key
inner join {{ ref('dim_date') }} as dates on hours.worked_date_key = dates.date_key
where dates.date_day > cast({{ dbt.dateadd('day', -30, dashboard_as_of()) }} as date)
group by dates.week_start_date, projects.business_unit
order by dates.week_start_date, projects.business_unit
