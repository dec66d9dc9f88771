{#
    fact_asset_usage and rpt_campaign_performance attribute a use to the campaign of the
    asset as it is now (int_usage_events_joined_to_campaigns), which is right only while
    an asset's Campaign metaproperty never changes once set at upload. This warns if a
    version of an asset ever names another campaign than its current version does.
#}
{{ config(severity='warn') }}
{# a micro-batch (var micro_batch) checks the assets with a version loaded recently #}
{% set window = micro_batch_window(ref('dim_asset'), '_loaded_at') %}

with

dim_asset as (

    select * from {{ ref('dim_asset') }}

),

campaigns_per_asset as (

    select
        asset_id,
        count(distinct coalesce(campaign_code, '(none)')) as campaigns
    from dim_asset
    where
        asset_key != {{ unknown_member_key() }}
    {% if window %}
        and asset_id in (select asset_id from dim_asset where {{ window }})
    {% endif %}
    group by 1

)

select * from campaigns_per_asset
where campaigns > 1
