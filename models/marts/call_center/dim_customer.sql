{#
    Incremental, as dim_asset: a run rebuilds the versions of the customers whose snapshot or entity
    rows changed since the newest load the dimension holds (macro scd2_changed_keys),
    deleting and inserting all versions of those customers; the unknown member is
    written by the first build (and --full-refresh) only. Equal to a full rebuild: a
    customer's versions depend only on its own rows.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='customer_id',
        on_schema_change='fail',
    )
}}

with

{# inlined where read: the changed keys' filters reach the scans #}
snapshot_rows as {{ inlined_cte() }} (

    select * from {{ ref('webphone_customers_snapshot') }}

),

customer_rows as {{ inlined_cte() }} (

    select * from {{ ref('int_customers_marked_deleted') }}

),

{% if is_incremental() %}

    {{ scd2_changed_keys('snapshot_rows', 'customer_rows', 'customer_id') }},

    customers_snapshot as (

        select * from snapshot_rows
        where customer_id in (select customer_id from scd2_changed_keys)

    ),

    customers as (

        select * from customer_rows
        where customer_id in (select customer_id from scd2_changed_keys)

    ),

{% else %}

    customers_snapshot as (

        select * from snapshot_rows

    ),

    customers as (

        select * from customer_rows

    ),

{% endif %}

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
    {% if not is_incremental() %}
        union all
        select * from unknown_member
    {% endif %}

)

select * from members
