-- Call-center operations: customers who called most in 30 days (drill-down table).
select
    customers.customer_id,
    customers.company,
    count(*) as calls,
    sum(calls.handle_seconds) as handle_seconds
from {{ ref('fact_calls') }} as calls
inner join {{ ref('dim_customer') }} as customers on calls.customer_key = customers.customer_key
where calls.started_at > {{ dbt.dateadd('day', -30, dashboard_as_of()) }}
group by customers.customer_id, customers.company
having count(*) > 1
order by calls desc
limit 50
