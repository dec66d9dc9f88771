-- Volume anomaly detection on fact_calls (Elementary volume_anomalies; a steward looks).
{{ config(severity='warn', tags=['quality', 'anomaly']) }}
{{ test_volume_anomalies(model=ref('fact_calls'), timestamp_column='started_at') }}
