-- One row: a load an hour ago (recent data).
select {{ dbt.dateadd('hour', -1, utc_now()) }} as _loaded_at
