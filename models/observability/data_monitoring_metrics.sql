{#
    Incremental like Elementary's data_monitoring_metrics: every run recomputes the
    training and detection windows of each monitored table and replaces those buckets;
    older buckets stay, so the history outlives the data's own retention. Never
    rebuilt by --full-refresh.
#}
{{
    config(
        materialized='incremental',
        unique_key='metric_id',
        full_refresh=false,
        on_schema_change='append_new_columns',
    )
}}

{%- set settings = anomaly_settings() -%}
{%- set monitors = [] -%}
{%- for monitor in quality_monitored_tables() -%}
    {%- for metric in monitor.metrics -%}
        {%- do monitors.append((monitor, metric)) -%}
    {%- endfor -%}
{%- endfor %}

with

{% for monitor, metric in monitors %}
    metric_{{ loop.index }} as (

        {{ anomaly_metric_sql(ref(monitor.model), monitor.timestamp_column, metric, settings) }}

    ),

{% endfor %}
unioned as (

    {% for monitor, metric in monitors %}
        select
            '{{ monitor.model }}' as model_name,
            '{{ monitor.layer }}' as layer,
            '{{ monitor.timestamp_column }}' as timestamp_column,
            '{{ metric }}' as metric_name,
            bucket_start,
            bucket_end,
            metric_value
        from metric_{{ loop.index }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'model_name', "'|'", 'metric_name', "'|'",
            dbt.cast('bucket_start', dbt.type_string())
        ])) }} as metric_id,
        model_name,
        layer,
        timestamp_column,
        metric_name,
        '{{ settings.period }}' as bucket_period,
        bucket_start,
        bucket_end,
        metric_value,
        '{{ invocation_id }}' as invocation_id,
        {{ utc_now() }} as updated_at
    from unioned

)

select * from final
