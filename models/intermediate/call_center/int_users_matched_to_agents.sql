with

users as (

    select * from {{ ref('stg_workfront__users') }}

),

agents as (

    select * from {{ ref('int_agents_marked_deleted') }}

),

clean_users as (

    select * from users
    where dq_issues is null

),

{#
    A Workfront user is a WebPhone agent when one of the user's addresses is the
    agent's: the current email, else the login (Workfront keeps the address an
    account was created with as its username when the email changes later).
#}
matched as (

    select
        ---------- ids
        clean_users.user_id,
        coalesce(by_email.agent_id, by_username.agent_id) as agent_id,

        ---------- strings
        clean_users.full_name,
        clean_users.email_address,
        clean_users.username,
        clean_users.title,
        case
            when by_email.agent_id is not null then 'email_address'
            when by_username.agent_id is not null then 'username'
        end as agent_match_rule,

        ---------- booleans
        clean_users.is_active,

        ---------- timestamps
        clean_users.created_at,
        clean_users.updated_at,
        clean_users._loaded_at

    from clean_users
    left join agents as by_email
        on clean_users.email_address = by_email.email_address
    left join agents as by_username
        on clean_users.username = by_username.email_address

)

select * from matched
