{#
    Incremental by load: usage events never change once written, so a run builds the
    events loaded since the newest load it processed (minus var lookback_hours for
    loads that commit out of order; a late event of any age is one of them), plus the
    rows resolved to an unknown member and those a late asset version applies to.
    delete+insert on usage_id. The model documentation explains why not by event time.
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

dim_asset as {{ inlined_cte() }} (

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
            {{ lookback_since('_source_loaded_at') }} as reprocess_loaded_since
        from existing_facts

    ),

    {# 1. events loaded since the last run, whatever their age #}
    loaded_events as (

        select usage_events.usage_id
        from usage_events
        cross join watermark
        where usage_events._loaded_at >= watermark.reprocess_loaded_since

    ),

    {# 2. rows on the unknown member whose key the dimension now holds #}
    unresolved_events as (

        {{ unknown_members_now_known('existing_facts', 'usage_id', [
            ('asset_key', 'asset_id', 'dim_asset'),
            ('campaign_key', 'campaign_code', 'dim_campaign'),
        ]) }}

    ),

    {# 3. events an asset version loaded since the last run is valid for #}
    late_dimension_events as (

        {{ late_dimension_rows('existing_facts', 'usage_id', 'used_at', [
            ('asset_id', 'dim_asset'),
        ]) }}

    ),

    events_to_build as (

        select usage_id from loaded_events
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
