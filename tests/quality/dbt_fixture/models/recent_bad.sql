-- One row: a load four days ago (stale data).
select {{ dbt.dateadd('hour', -96, utc_now()) }} as _loaded_at
