{%- set volume = anomaly_settings() -%}
{%- set freshness = anomaly_settings({'anomaly_direction': 'spike'}) -%}

with

volume_scores as (

    {{ anomaly_scores_sql(
        "(select * from " ~ ref('data_monitoring_metrics') ~ " where metric_name = 'row_count')",
        volume,
        ['model_name', 'metric_name'],
    ) }}

),

freshness_scores as (

    {{ anomaly_scores_sql(
        "(select * from " ~ ref('data_monitoring_metrics') ~ " where metric_name = 'freshness')",
        freshness,
        ['model_name', 'metric_name'],
    ) }}

),

scores as (

    select * from volume_scores
    union all
    select * from freshness_scores

),

final as (

    select
        metric_id,
        model_name,
        layer,
        timestamp_column,
        metric_name,
        bucket_period,
        bucket_start,
        bucket_end,
        metric_value,
        training_avg,
        training_stddev,
        training_set_size,
        anomaly_score,
        min_expected_value,
        max_expected_value,
        is_in_detection_period,
        is_anomalous,
        updated_at
    from scores

)

select * from final
