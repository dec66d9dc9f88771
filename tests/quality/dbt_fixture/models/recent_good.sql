-- One row: an event an hour ago (recent data).
select {{ dbt.dateadd('hour', -1, utc_now()) }} as event_at
