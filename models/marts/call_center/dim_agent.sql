with

agents_snapshot as (

    select * from {{ ref('webphone_agents_snapshot') }}

),

agents as (

    select * from {{ ref('int_agents_marked_deleted') }}

),

users as (

    select * from {{ ref('int_users_matched_to_agents') }}

),

{{ scd2_dimension_versions(
    'agents_snapshot',
    'agents',
    'agent_key',
    'agent_id',
    [
        'email_address', 'first_name', 'last_name', 'display_name', 'team',
        'routing_profile', 'agent_status', 'timezone', 'created_at', 'updated_at',
    ],
) }},

workfront_users as (

    select
        agent_id,
        min(user_id) as workfront_user_id
    from users
    where agent_id is not null
    group by 1

),

known_members as (

    select
        ---------- ids
        versions.agent_key,
        versions.agent_id,
        workfront_users.workfront_user_id,

        ---------- strings
        {{ mask_pii('versions.email_address', 'email') }} as email_address,
        {{ mask_pii('versions.first_name', 'name') }} as first_name,
        {{ mask_pii('versions.last_name', 'name') }} as last_name,
        {{ mask_pii('versions.display_name', 'name') }} as display_name,
        versions.team,
        versions.routing_profile,
        versions.agent_status,
        versions.timezone,

        ---------- booleans
        versions.is_current,
        versions.is_deleted,

        ---------- timestamps
        versions.valid_from,
        versions.valid_to,
        versions.created_at,
        versions.updated_at,
        versions.deleted_at,
        versions._loaded_at

    from versions
    left join workfront_users
        on versions.agent_id = workfront_users.agent_id

),

unknown_member as (

    select
        {{ unknown_member_key() }} as agent_key,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        cast(null as {{ dbt.type_string() }}) as workfront_user_id,
        cast(null as {{ dbt.type_string() }}) as email_address,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        'Unknown agent' as display_name,
        cast(null as {{ dbt.type_string() }}) as team,
        cast(null as {{ dbt.type_string() }}) as routing_profile,
        cast(null as {{ dbt.type_string() }}) as agent_status,
        cast(null as {{ dbt.type_string() }}) as timezone,
        true as is_current,
        false as is_deleted,
        {{ scd_far_past() }} as valid_from,
        {{ scd_far_future() }} as valid_to,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at,
        cast(null as {{ dbt.type_timestamp() }}) as deleted_at,
        cast(null as {{ dbt.type_timestamp() }}) as _loaded_at

),

members as (

    select * from known_members
    union all
    select * from unknown_member

)

select * from members
