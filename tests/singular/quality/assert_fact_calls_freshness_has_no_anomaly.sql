-- Freshness anomaly detection on fact_calls (Elementary freshness_anomalies; a steward looks).
{{ config(severity='warn', tags=['quality', 'anomaly']) }}
{{ test_freshness_anomalies(model=ref('fact_calls'), timestamp_column='started_at') }}
