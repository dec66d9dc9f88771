with

customers as (

    select * from {{ ref('stg_webphone__customers') }}

),

customers_tombstones as (

    select * from {{ ref('stg_webphone__customers_tombstones') }}

),

clean_customers as (

    select * from customers
    where dq_issues is null

),

clean_tombstones as (

    select * from customers_tombstones
    where dq_issues is null

),

marked as (

    select
        ---------- ids
        clean_customers.customer_id,
        clean_customers.external_ref,

        ---------- strings
        clean_customers.first_name,
        clean_customers.last_name,
        clean_customers.primary_phone_number,
        clean_customers.email_address,
        clean_customers.company,
        clean_customers.locale,

        ---------- booleans
        clean_tombstones.customer_id is not null as is_deleted,

        ---------- timestamps
        clean_customers.created_at,
        clean_customers.updated_at,
        clean_tombstones.deleted_at,
        clean_customers._loaded_at,
        clean_tombstones._loaded_at as _deletion_loaded_at

    from clean_customers
    left join clean_tombstones
        on clean_customers.customer_id = clean_tombstones.customer_id

)

select * from marked
