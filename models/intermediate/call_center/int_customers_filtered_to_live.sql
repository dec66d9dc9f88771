with

customers as (

    select * from {{ ref('int_customers_marked_deleted') }}

),

live as (

    select
        customer_id,
        external_ref,
        first_name,
        last_name,
        primary_phone_number,
        email_address,
        company,
        locale,
        created_at,
        updated_at,
        _loaded_at
    from customers
    where not is_deleted

)

select * from live
