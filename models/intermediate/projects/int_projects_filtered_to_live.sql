with

projects as (

    select * from {{ ref('stg_workfront__projects') }}

),

{#
    Workfront has no deletion feed for projects (only time entries are journaled), so
    every clean project is live; the snapshot still records a project that leaves
    here (its latest row quarantined).
#}
live as (

    select
        ---------- ids
        project_id,
        owner_id,
        sponsor_id,
        portfolio_id,
        group_id,
        company_id,
        template_id,
        cf_campaign_code as campaign_code,

        ---------- strings
        project_name,
        project_status,
        project_status_code,
        currency,
        cf_business_unit as business_unit,
        cf_region as region,
        cf_brand as brand,
        cf_project_type as project_type,
        cf_channel as channel,
        cf_cost_center as cost_center,

        ---------- numerics
        priority,
        percent_complete,
        budget,
        planned_cost,
        actual_cost,
        planned_labor_cost,
        actual_labor_cost,
        planned_revenue,
        actual_revenue,
        reference_number,

        ---------- timestamps
        planned_start_at,
        planned_completion_at,
        projected_completion_at,
        actual_start_at,
        actual_completion_at,
        created_at,
        updated_at,
        _loaded_at

    from projects
    where dq_issues is null

)

select * from live
