with

agents as (

    select * from {{ ref('int_agents_marked_deleted') }}

),

live as (

    select
        agent_id,
        email_address,
        first_name,
        last_name,
        display_name,
        team,
        routing_profile,
        agent_status,
        timezone,
        created_at,
        updated_at,
        _loaded_at
    from agents
    where not is_deleted

)

select * from live
