with

customers_snapshot as (

    select * from {{ ref('webphone_customers_snapshot') }}

),

customers as (

    select * from {{ ref('int_customers_marked_deleted') }}

),

{{ scd2_dimension_versions(
    'customers_snapshot',
    'customers',
    'customer_key',
    'customer_id',
    [
        'external_ref', 'first_name', 'last_name', 'primary_phone_number',
        'email_address', 'company', 'locale', 'created_at', 'updated_at',
    ],
) }},

known_members as (

    select
        ---------- ids
        versions.customer_key,
        versions.customer_id,
        versions.external_ref,

        ---------- strings
        {{ mask_pii('versions.first_name', 'name') }} as first_name,
        {{ mask_pii('versions.last_name', 'name') }} as last_name,
        {{ mask_pii('versions.primary_phone_number', 'phone') }} as primary_phone_number,
        {{ mask_pii('versions.email_address', 'email') }} as email_address,
        versions.company,
        versions.locale,

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

),

unknown_member as (

    select
        {{ unknown_member_key() }} as customer_key,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as external_ref,
        cast(null as {{ dbt.type_string() }}) as first_name,
        'Unknown customer' as last_name,
        cast(null as {{ dbt.type_string() }}) as primary_phone_number,
        cast(null as {{ dbt.type_string() }}) as email_address,
        cast(null as {{ dbt.type_string() }}) as company,
        cast(null as {{ dbt.type_string() }}) as locale,  -- noqa: RF04
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
