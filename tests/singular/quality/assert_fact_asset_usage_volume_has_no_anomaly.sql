-- Volume anomaly detection on fact_asset_usage (Elementary volume_anomalies; a steward looks).
{{ config(severity='warn', tags=['quality', 'anomaly']) }}
{{ test_volume_anomalies(model=ref('fact_asset_usage'), timestamp_column='used_at') }}
