{#
    Incremental by event time: usage events never change once written, so a run
    rebuilds the window of used_at from var usage_lookback_days before the newest event
    it holds, plus any event loaded since the newest load it processed (a late event of
    any age) and the rows resolved to an unknown member. delete+insert on usage_id.
    The model documentation explains why this is not dbt's microbatch strategy.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='usage_id',
        on_schema_change='fail',
    )
}}

with

{# inlined where read: each reader's filter reaches the staging scan #}
usage_events as {{ inlined_cte() }} (

    select * from {{ ref('int_usage_events_joined_to_campaigns') }}

),

dim_asset as (

    select * from {{ ref('dim_asset') }}

),

dim_campaign as (

    select * from {{ ref('dim_campaign') }}

),

{% if is_incremental() %}

    existing_facts as {{ inlined_cte() }} (

        select * from {{ this }}

    ),

    watermark as (

        select
            {{ dbt.dateadd(
                'day', -1 * var('usage_lookback_days'), 'max(used_at)'
            ) }} as reprocess_used_since,
            {{ lookback_since('_source_loaded_at') }} as reprocess_loaded_since
        from existing_facts

    ),

    {# 1. the event-time window, and late events loaded since the last run #}
    recent_events as (

        select usage_events.usage_id
        from usage_events
        cross join watermark
        where
            usage_events.used_at >= watermark.reprocess_used_since
            or usage_events._loaded_at >= watermark.reprocess_loaded_since

    ),

    {# 2. events resolved to an unknown member: the dimension row may have arrived since #}
    unresolved_events as (

        select usage_id
        from existing_facts
        where
            asset_key = {{ unknown_member_key() }}
            or campaign_key = {{ unknown_member_key() }}

    ),

    {# 3. events an asset version loaded since the last run is valid for #}
    late_dimension_events as (

        select existing_facts.usage_id
        from existing_facts
        inner join dim_asset
            on
                existing_facts.asset_id = dim_asset.asset_id
                and existing_facts.used_at >= dim_asset.valid_from
        cross join watermark
        where dim_asset._loaded_at >= watermark.reprocess_loaded_since

    ),

    events_to_build as (

        select usage_id from recent_events
        union
        select usage_id from unresolved_events
        union
        select usage_id from late_dimension_events

    ),

    batch as (

        select * from usage_events
        where usage_id in (select usage_id from events_to_build)

    ),

{% else %}

    batch as (

        select * from usage_events

    ),

{% endif %}

joined as (

    select
        ---------- ids
        batch.usage_id,
        {{ dimension_key('dim_asset.asset_key', 'batch.asset_id') }} as asset_key,
        {{ dimension_key('dim_campaign.campaign_key', 'batch.campaign_code') }}
            as campaign_key,
        {{ date_key('batch.used_at') }} as used_date_key,
        batch.asset_id,
        batch.campaign_code,
        batch.integration_id,

        ---------- strings
        batch.integration_name,
        batch.usage_uri,
        batch.usage_note,

        ---------- timestamps
        batch.used_at,
        batch._loaded_at as _source_loaded_at

    from batch
    left join dim_asset
        on
            batch.asset_id = dim_asset.asset_id
            and batch.used_at >= dim_asset.valid_from
            and batch.used_at < dim_asset.valid_to
    left join dim_campaign
        on batch.campaign_code = dim_campaign.campaign_code

)

select * from joined
