with

campaigns as (

    select * from {{ ref('stg_bynder__campaigns') }}

),

clean_campaigns as (

    select * from campaigns
    where dq_issues is null

),

known_members as (

    select
        ---------- ids
        campaign_id as campaign_key,
        campaign_id,
        campaign_code,

        ---------- strings
        campaign_name,
        description as campaign_description,

        ---------- booleans
        is_closed,

        ---------- timestamps
        starts_at,
        deadline_at,
        created_at,
        modified_at

    from clean_campaigns

),

unknown_member as (

    select
        {{ unknown_member_key() }} as campaign_key,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_code,
        'Unknown campaign' as campaign_name,
        cast(null as {{ dbt.type_string() }}) as campaign_description,
        cast(null as {{ dbt.type_boolean() }}) as is_closed,
        cast(null as {{ dbt.type_timestamp() }}) as starts_at,
        cast(null as {{ dbt.type_timestamp() }}) as deadline_at,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as modified_at

),

members as (

    select * from known_members
    union all
    select * from unknown_member

)

select * from members
