-- fact_project_hours must never carry a row that broke a hard rule in staging (it would
-- stop a deploy).
{{ config(severity='error', tags=['quality']) }}
{{ test_expect_column_values_to_not_be_quarantined(
    model=ref('fact_project_hours'), column_name='time_entry_id', source_system='workfront', source_table='hours',
    window_column='_source_loaded_at'
) }}
