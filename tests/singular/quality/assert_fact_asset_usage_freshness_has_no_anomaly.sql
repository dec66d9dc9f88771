-- Freshness anomaly detection on fact_asset_usage (Elementary freshness_anomalies; a
-- steward looks).
{{ config(severity='warn', tags=['quality', 'anomaly']) }}
{{ test_freshness_anomalies(model=ref('fact_asset_usage'), timestamp_column='used_at') }}
