-- fact_calls must never carry a row that broke a hard rule in staging (it would stop a deploy).
{{ config(severity='error', tags=['quality']) }}
{{ test_expect_column_values_to_not_be_quarantined(
    model=ref('fact_calls'), column_name='call_id', source_system='webphone', source_table='calls',
    window_column='_source_loaded_at'
) }}
