with

agents as (

    select * from {{ ref('stg_webphone__agents') }}

),

agents_tombstones as (

    select * from {{ ref('stg_webphone__agents_tombstones') }}

),

clean_agents as (

    select * from agents
    where dq_issues is null

),

clean_tombstones as (

    select * from agents_tombstones
    where dq_issues is null

),

marked as (

    select
        ---------- ids
        clean_agents.agent_id,

        ---------- strings
        clean_agents.email_address,
        clean_agents.first_name,
        clean_agents.last_name,
        clean_agents.display_name,
        clean_agents.team,
        clean_agents.routing_profile,
        clean_agents.agent_status,
        clean_agents.timezone,

        ---------- booleans
        clean_tombstones.agent_id is not null as is_deleted,

        ---------- timestamps
        clean_agents.created_at,
        clean_agents.updated_at,
        clean_tombstones.deleted_at,
        clean_agents._loaded_at,
        clean_tombstones._loaded_at as _deletion_loaded_at

    from clean_agents
    left join clean_tombstones
        on clean_agents.agent_id = clean_tombstones.agent_id

)

select * from marked
