{#
    Incremental, as dim_asset: a run rebuilds the versions of the projects whose snapshot
    rows changed since the newest load the dimension holds (macro scd2_changed_keys),
    deleting and inserting all versions of those projects; the unknown member is
    written by the first build (and --full-refresh) only. Equal to a full rebuild: a
    project's versions depend only on its own rows.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id',
        on_schema_change='fail',
    )
}}

with

{# inlined where read: the changed keys' filter reaches the scan #}
snapshot_rows as {{ inlined_cte() }} (

    select * from {{ ref('workfront_projects_snapshot') }}

),

{% if is_incremental() %}

    {{ scd2_changed_keys('snapshot_rows', none, 'project_id') }},

    projects_snapshot as (

        select * from snapshot_rows
        where project_id in (select project_id from scd2_changed_keys)

    ),

{% else %}

    projects_snapshot as (

        select * from snapshot_rows

    ),

{% endif %}

{{ scd2_dimension_versions(
    'projects_snapshot',
    none,
    'project_key',
    'project_id',
    [
        'owner_id', 'sponsor_id', 'portfolio_id', 'group_id', 'company_id',
        'template_id', 'campaign_code', 'project_name', 'project_status',
        'project_status_code', 'currency',
        'business_unit', 'region', 'brand', 'project_type', 'channel', 'cost_center',
        'priority', 'percent_complete', 'budget', 'planned_cost', 'actual_cost',
        'planned_labor_cost', 'actual_labor_cost', 'planned_revenue', 'actual_revenue',
        'reference_number', 'planned_start_at', 'planned_completion_at',
        'projected_completion_at', 'actual_start_at', 'actual_completion_at',
        'created_at', 'updated_at',
    ],
) }},

known_members as (

    select
        ---------- ids
        project_key,
        project_id,
        owner_id,
        sponsor_id,
        portfolio_id,
        group_id,
        company_id,
        template_id,
        campaign_code,

        ---------- strings
        project_name,
        project_status,
        project_status_code,
        currency,
        business_unit,
        region,
        brand,
        project_type,
        channel,
        cost_center,

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

        ---------- booleans
        is_current,
        is_deleted,

        ---------- timestamps
        valid_from,
        valid_to,
        planned_start_at,
        planned_completion_at,
        projected_completion_at,
        actual_start_at,
        actual_completion_at,
        created_at,
        updated_at,
        _loaded_at

    from versions

),

unknown_member as (

    select
        {{ unknown_member_key() }} as project_key,
        cast(null as {{ dbt.type_string() }}) as project_id,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        cast(null as {{ dbt.type_string() }}) as sponsor_id,
        cast(null as {{ dbt.type_string() }}) as portfolio_id,
        cast(null as {{ dbt.type_string() }}) as group_id,
        cast(null as {{ dbt.type_string() }}) as company_id,
        cast(null as {{ dbt.type_string() }}) as template_id,
        cast(null as {{ dbt.type_string() }}) as campaign_code,
        'Unknown project' as project_name,
        cast(null as {{ dbt.type_string() }}) as project_status,
        cast(null as {{ dbt.type_string() }}) as project_status_code,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as {{ dbt.type_string() }}) as business_unit,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as brand,
        cast(null as {{ dbt.type_string() }}) as project_type,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as {{ dbt.type_string() }}) as cost_center,
        cast(null as {{ dbt.type_bigint() }}) as priority,
        cast(null as {{ type_double() }}) as percent_complete,
        cast(null as {{ type_double() }}) as budget,
        cast(null as {{ type_double() }}) as planned_cost,
        cast(null as {{ type_double() }}) as actual_cost,
        cast(null as {{ type_double() }}) as planned_labor_cost,
        cast(null as {{ type_double() }}) as actual_labor_cost,
        cast(null as {{ type_double() }}) as planned_revenue,
        cast(null as {{ type_double() }}) as actual_revenue,
        cast(null as {{ dbt.type_bigint() }}) as reference_number,
        true as is_current,
        false as is_deleted,
        {{ scd_far_past() }} as valid_from,
        {{ scd_far_future() }} as valid_to,
        cast(null as {{ dbt.type_timestamp() }}) as planned_start_at,
        cast(null as {{ dbt.type_timestamp() }}) as planned_completion_at,
        cast(null as {{ dbt.type_timestamp() }}) as projected_completion_at,
        cast(null as {{ dbt.type_timestamp() }}) as actual_start_at,
        cast(null as {{ dbt.type_timestamp() }}) as actual_completion_at,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at,
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
