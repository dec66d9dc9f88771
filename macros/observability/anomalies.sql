{#
    Volume and freshness anomaly detection the way Elementary does it: a metric per
    time bucket, a training window of earlier buckets, a detection window of the
    latest complete buckets, and a z-score against the training mean and standard
    deviation. Differences from Elementary, on purpose:

    * buckets are closed relative to the monitored table's latest event (its data
      clock), not the wall clock, and start at its first event (the empty days before
      a table's history began are not a volume drop), so a delayed load never reads as a volume collapse
      (staleness is what the freshness checks are for); the bucket holding the latest
      event is incomplete and never scored;
    * the training set of a bucket is the `training_period` buckets before it (the
      scored bucket never dilutes its own baseline), and `min_training_set_size` is
      enforced (Elementary 0.25 accepts it but does not use it);
    * a flat training set (standard deviation 0) scores 0 in Elementary, so nothing
      can ever be flagged against it; here any change from a flat baseline is a spike
      or a drop (still subject to `ignore_small_changes`).

    Settings come from the test's arguments, else project vars (anomaly_*), else
    Elementary's defaults.
#}

{% macro anomaly_settings(overrides={}) -%}
    {%- set small = overrides.get('ignore_small_changes') or var('anomaly_ignore_small_changes', {}) -%}
    {%- set settings = {
        'time_bucket': overrides.get('time_bucket') or var('anomaly_time_bucket', {'period': 'day', 'count': 1}),
        'training_period': overrides.get('training_period') or var('anomaly_training_period', {'period': 'day', 'count': 14}),
        'detection_period': overrides.get('detection_period') or var('anomaly_detection_period', {'period': 'day', 'count': 2}),
        'anomaly_sensitivity': overrides.get('anomaly_sensitivity') or var('anomaly_sensitivity', 3),
        'min_training_set_size': overrides.get('min_training_set_size') or var('anomaly_min_training_set_size', 7),
        'anomaly_direction': overrides.get('anomaly_direction') or 'both',
        'fail_on_zero': overrides.get('fail_on_zero') or false,
        'spike_failure_percent_threshold': small.get('spike_failure_percent_threshold'),
        'drop_failure_percent_threshold': small.get('drop_failure_percent_threshold'),
    } -%}
    {%- if settings.time_bucket.get('count', 1) != 1 or settings.time_bucket.period not in ['hour', 'day', 'week'] -%}
        {{ exceptions.raise_compiler_error("time_bucket: one hour, day or week") }}
    {%- endif -%}
    {%- if settings.anomaly_direction not in ['both', 'spike', 'drop'] -%}
        {{ exceptions.raise_compiler_error("anomaly_direction: both, spike or drop") }}
    {%- endif -%}
    {#- training and detection periods are counted in buckets #}
    {%- set hours = {'hour': 1, 'day': 24, 'week': 168} -%}
    {%- set bucket_hours = hours[settings.time_bucket.period] -%}
    {%- do settings.update({
        'period': settings.time_bucket.period,
        'training_buckets': [1, (settings.training_period.count * hours[settings.training_period.period] / bucket_hours) | int] | max,
        'detection_buckets': [1, (settings.detection_period.count * hours[settings.detection_period.period] / bucket_hours) | int] | max,
    }) -%}
    {{ return(settings) }}
{%- endmacro %}

{#
    The metric of one relation per bucket, for the training and detection windows:
    columns bucket_start, bucket_end, metric_value. `metric` is row_count (rows whose
    timestamp falls in the bucket) or freshness (the longest time in seconds without
    a new row, measured at every row and at the bucket's end).
#}
{% macro anomaly_metric_sql(relation, timestamp_column, metric, settings, where_expression=none) -%}
    {%- set period = settings.period -%}
    {%- set n_buckets = settings.training_buckets + settings.detection_buckets -%}
    with

    source_rows as (

        select cast({{ timestamp_column }} as {{ dbt.type_timestamp() }}) as event_at
        from {{ relation }}
        where {{ timestamp_column }} is not null
            {%- if where_expression %} and ({{ where_expression }}){% endif %}

    ),

    data_clock as (

        select
            {{ dbt.date_trunc(period, 'max(event_at)') }} as clock_bucket,
            {{ dbt.date_trunc(period, 'min(event_at)') }} as first_bucket
        from source_rows

    ),

    spine as (

        {{ dbt.generate_series(n_buckets) }}

    ),

    buckets as (

        select
            {{ dbt.dateadd(period, '-1 * spine.generated_number', 'data_clock.clock_bucket') }}
                as bucket_start,
            {{ dbt.dateadd(period, '1 - spine.generated_number', 'data_clock.clock_bucket') }}
                as bucket_end
        from spine
        cross join data_clock
        where data_clock.clock_bucket is not null
            {#- no bucket before the table's first event: its history had not begun #}
            and {{ dbt.dateadd(period, '-1 * spine.generated_number', 'data_clock.clock_bucket') }}
                >= data_clock.first_bucket

    ),

    window_rows as (

        select source_rows.event_at
        from source_rows
        cross join data_clock
        where source_rows.event_at >= {{ dbt.dateadd(period, -1 * (n_buckets + 1), 'data_clock.clock_bucket') }}
            and source_rows.event_at < data_clock.clock_bucket

    ),

    {% if metric == 'row_count' %}

    per_bucket as (

        select
            {{ dbt.date_trunc(period, 'event_at') }} as bucket_start,
            count(*) as metric_value
        from window_rows
        group by 1

    ),

    {% elif metric == 'freshness' %}

    points as (

        select event_at as point_at, 1 as is_event from window_rows
        union all
        select bucket_end as point_at, 0 as is_event from buckets

    ),

    gaps as (

        select
            point_at,
            max(case when is_event = 1 then point_at end) over (
                order by point_at, is_event desc
                rows between unbounded preceding and 1 preceding
            ) as previous_event_at
        from points

    ),

    per_bucket as (

        select
            buckets.bucket_start,
            max({{ dbt.datediff('gaps.previous_event_at', 'gaps.point_at', 'second') }}) as metric_value
        from buckets
        inner join gaps
            on gaps.point_at > buckets.bucket_start
            and gaps.point_at <= buckets.bucket_end
        group by 1

    ),

    {% else %}
        {{ exceptions.raise_compiler_error("unknown anomaly metric '" ~ metric ~ "'") }}
    {% endif %}

    metrics as (

        select
            buckets.bucket_start,
            buckets.bucket_end,
            cast(
                {% if metric == 'row_count' %}coalesce(per_bucket.metric_value, 0)
                {%- else %}per_bucket.metric_value{% endif %}
                as {{ type_double() }}
            ) as metric_value
        from buckets
        left join per_bucket
            on per_bucket.bucket_start = buckets.bucket_start

    )

    select * from metrics
{%- endmacro %}

{#
    Scores of every bucket of `metrics_relation` (columns: the `partition_by` columns,
    bucket_start, bucket_end, metric_value): training mean, standard deviation and
    size, z-score, expected range, and whether the bucket is an anomaly.
#}
{% macro anomaly_scores_sql(metrics_relation, settings, partition_by=[]) -%}
    {%- set partition = 'partition by ' ~ partition_by | join(', ') if partition_by else '' -%}
    {%- set sensitivity = settings.anomaly_sensitivity -%}
    {%- set spike = settings.spike_failure_percent_threshold -%}
    {%- set drop = settings.drop_failure_percent_threshold -%}
    with

    trained as (

        select
            metrics.*,
            max(bucket_end) over ({{ partition }}) as clock_bucket,
            avg(metric_value) over (
                {{ partition }} order by bucket_start
                rows between {{ settings.training_buckets }} preceding and 1 preceding
            ) as training_avg,
            stddev_samp(metric_value) over (
                {{ partition }} order by bucket_start
                rows between {{ settings.training_buckets }} preceding and 1 preceding
            ) as training_stddev,
            count(metric_value) over (
                {{ partition }} order by bucket_start
                rows between {{ settings.training_buckets }} preceding and 1 preceding
            ) as training_set_size
        from {{ metrics_relation }} as metrics

    ),

    scored as (

        select
            trained.*,
            case
                when training_stddev is null or training_set_size < 2 then null
                {#- a flat baseline: no z-score; any change from it is a spike or a drop #}
                when training_stddev = 0 then case when metric_value = training_avg then 0 end
                else (metric_value - training_avg) / training_stddev
            end as anomaly_score,
            training_stddev = 0 and metric_value > training_avg as is_flat_spike,
            training_stddev = 0 and metric_value < training_avg as is_flat_drop,
            case
                when training_avg - {{ sensitivity }} * training_stddev < 0 then 0
                else training_avg - {{ sensitivity }} * training_stddev
            end as min_expected_value,
            training_avg + {{ sensitivity }} * training_stddev as max_expected_value,
            bucket_start >= {{ dbt.dateadd(settings.period, -1 * settings.detection_buckets, 'clock_bucket') }}
                as is_in_detection_period
        from trained

    ),

    flagged as (

        select
            scored.*,
            coalesce(
                is_in_detection_period
                and training_set_size >= {{ settings.min_training_set_size }}
                and metric_value is not null
                and (
                    {%- if settings.fail_on_zero %}
                    metric_value = 0 or
                    {%- endif %}
                    (
                        training_stddev is not null
                        and (
                            {%- if settings.anomaly_direction in ['both', 'spike'] %}
                            (
                                (anomaly_score > {{ sensitivity }} or is_flat_spike)
                                {%- if spike is not none %}
                                and metric_value > training_avg * {{ 1 + spike / 100 }}
                                {%- endif %}
                            )
                            {%- endif %}
                            {%- if settings.anomaly_direction == 'both' %} or {% endif %}
                            {%- if settings.anomaly_direction in ['both', 'drop'] %}
                            (
                                (anomaly_score < -{{ sensitivity }} or is_flat_drop)
                                {%- if drop is not none %}
                                and metric_value < training_avg * {{ 1 - drop / 100 }}
                                {%- endif %}
                            )
                            {%- endif %}
                        )
                    )
                ),
                false
            ) as is_anomalous
        from scored

    )

    select * from flagged
{%- endmacro %}

{% macro _anomaly_test_sql(model, timestamp_column, metric, settings, where_expression) -%}
    with

    metrics as (

        {{ anomaly_metric_sql(model, timestamp_column, metric, settings, where_expression) }}

    ),

    scores as (

        {{ anomaly_scores_sql('metrics', settings) }}

    ),

    anomalies as (

        select
            '{{ metric }}' as metric_name,
            bucket_start,
            bucket_end,
            metric_value,
            training_avg,
            training_stddev,
            training_set_size,
            anomaly_score,
            min_expected_value,
            max_expected_value
        from scores
        where is_anomalous

    )

    select * from anomalies
{%- endmacro %}

{#
    Elementary `volume_anomalies`: fails on every bucket of the detection window whose
    row count is an anomaly. Arguments as in Elementary: timestamp_column,
    where_expression, time_bucket, training_period, detection_period,
    anomaly_sensitivity, anomaly_direction (both), min_training_set_size,
    ignore_small_changes, fail_on_zero.
#}
{% test volume_anomalies(model, timestamp_column, where_expression=none, time_bucket=none, training_period=none, detection_period=none, anomaly_sensitivity=none, anomaly_direction=none, min_training_set_size=none, ignore_small_changes=none, fail_on_zero=false) %}
    {%- set settings = anomaly_settings({
        'time_bucket': time_bucket, 'training_period': training_period,
        'detection_period': detection_period, 'anomaly_sensitivity': anomaly_sensitivity,
        'anomaly_direction': anomaly_direction, 'min_training_set_size': min_training_set_size,
        'ignore_small_changes': ignore_small_changes, 'fail_on_zero': fail_on_zero}) %}
    {{ _anomaly_test_sql(model, timestamp_column, 'row_count', settings, where_expression) }}
{% endtest %}

{#
    Elementary `freshness_anomalies`: fails on every bucket of the detection window
    whose longest gap between updates is an anomaly (spikes only, by default).
#}
{% test freshness_anomalies(model, timestamp_column, where_expression=none, time_bucket=none, training_period=none, detection_period=none, anomaly_sensitivity=none, anomaly_direction='spike', min_training_set_size=none, ignore_small_changes=none) %}
    {%- set settings = anomaly_settings({
        'time_bucket': time_bucket, 'training_period': training_period,
        'detection_period': detection_period, 'anomaly_sensitivity': anomaly_sensitivity,
        'anomaly_direction': anomaly_direction, 'min_training_set_size': min_training_set_size,
        'ignore_small_changes': ignore_small_changes}) %}
    {{ _anomaly_test_sql(model, timestamp_column, 'freshness', settings, where_expression) }}
{% endtest %}

{#
    Elementary `schema_changes`: fails on every column of the tested relation that was
    added, removed or retyped (or the table itself added or removed) since the
    previous run's snapshot (observability.schema_changes).
#}
{% test schema_changes(model) %}

with

changes as (

    select * from {{ ref('schema_changes') }}
    where table_schema = lower('{{ model.schema }}')
        and table_name = lower('{{ model.identifier }}')

)

select * from changes

{% endtest %}
