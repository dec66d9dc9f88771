-- One row: an event ten days ago (stale data).
select {{ dbt.dateadd('day', -10, utc_now()) }} as event_at
