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
{# read by the incremental run, which dbt's parse does not see #}
-- depends_on: {{ ref('stg_bynder__usage') }}

{% if is_incremental() %}

    {# the newest load the table holds, less var lookback_hours, as a literal #}
    {%- set loaded_since = reprocess_loaded_since() %}

    {#-
        The events a run builds, with their use time:
        1. events loaded since the last run, whatever their age (read by staging's load
           time, which a filter reaches at the scan: zone maps, pruning);
        2. rows on the unknown member whose key the dimension now holds;
        3. events an asset version loaded since the last run is valid for.
        Read twice: first for their oldest use, inlined as a literal, then as the
        batch's keys. int_usage_events_joined_to_campaigns joins each event to its asset,
        and DuckDB builds that join from the events, so only a literal bound on the use
        time reaches the staging scan under it (docs/performance.md, seventh pass).
    -#}
    {%- set events_to_build -%}

        with

        staged_usage_events as {{ inlined_cte() }} (

            select * from {{ ref('stg_bynder__usage') }}

        ),

        existing_facts as {{ inlined_cte() }} (

            select * from {{ this }}

        ),

        dim_asset as {{ inlined_cte() }} (

            select * from {{ ref('dim_asset') }}

        ),

        dim_campaign as (

            select * from {{ ref('dim_campaign') }}

        ),

        loaded_events as (

            select
                staged_usage_events.usage_id,
                staged_usage_events.used_at
            from staged_usage_events
            where staged_usage_events._loaded_at >= {{ loaded_since }}

        ),

        unresolved_events as (

            {{ unknown_members_now_known('existing_facts', 'usage_id, used_at', [
                ('asset_key', 'asset_id', 'dim_asset'),
                ('campaign_key', 'campaign_code', 'dim_campaign'),
            ]) }}

        ),

        late_dimension_events as (

            {{ late_dimension_rows('existing_facts', 'usage_id, used_at', 'used_at', [
                ('asset_id', 'dim_asset'),
            ], loaded_since) }}

        )

        select usage_id, used_at from loaded_events
        union all
        select usage_id, used_at from unresolved_events
        union all
        select usage_id, used_at from late_dimension_events

    {%- endset -%}

    {%- set oldest_use = oldest_timestamp_literal(events_to_build, 'used_at') -%}

{% endif %}

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

    events_to_build as (

        {{ events_to_build }}

    ),

    {# a join with the keys, bounded by their oldest use (a required column, so a
       clean event has one) #}
    batch as (

        select usage_events.*
        from usage_events
        inner join (select distinct usage_id from events_to_build) as keys
            on usage_events.usage_id = keys.usage_id
        where usage_events.used_at >= {{ oldest_use }}

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
