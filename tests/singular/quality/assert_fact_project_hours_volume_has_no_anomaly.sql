-- Volume anomaly detection on fact_project_hours (Elementary volume_anomalies; a steward looks).
{{ config(severity='warn', tags=['quality', 'anomaly']) }}
{{ test_volume_anomalies(model=ref('fact_project_hours'), timestamp_column='worked_date') }}
