-- The same events with an outage: 2026-01-20 keeps only its events before 01:15, so
-- its volume collapses and the gap between updates spikes.
select * from {{ ref('events_steady') }}
where not (
    event_at >= cast('2026-01-20 01:15:00' as {{ dbt.type_timestamp() }})
    and event_at < cast('2026-01-21 00:00:00' as {{ dbt.type_timestamp() }})
)
