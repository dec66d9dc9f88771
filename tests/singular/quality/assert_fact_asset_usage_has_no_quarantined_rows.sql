-- fact_asset_usage must never carry a row that broke a hard rule in staging (it would
-- stop a deploy).
{{ config(severity='error', tags=['quality']) }}
{{ test_expect_column_values_to_not_be_quarantined(
    model=ref('fact_asset_usage'), column_name='usage_id', source_system='bynder', source_table='usage',
    window_column='_source_loaded_at'
) }}
