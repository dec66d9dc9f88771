with

snapshots as (

    select
        snapshot_id,
        max(snapshotted_at) as snapshotted_at
    from {{ ref('schema_columns_snapshot') }}
    group by snapshot_id

),

ranked as (

    select
        snapshot_id,
        snapshotted_at,
        row_number() over (order by snapshotted_at desc) as snapshot_rank
    from snapshots

),

latest_snapshots as (

    select
        max(case when ranked.snapshot_rank = 1 then ranked.snapshotted_at end) as detected_at,
        max(case when ranked.snapshot_rank = 2 then ranked.snapshotted_at end)
            as previous_snapshot_at
    from ranked

),

current_columns as (

    select snapshot_columns.*
    from {{ ref('schema_columns_snapshot') }} as snapshot_columns
    inner join ranked
        on snapshot_columns.snapshot_id = ranked.snapshot_id
    where ranked.snapshot_rank = 1

),

previous_columns as (

    select snapshot_columns.*
    from {{ ref('schema_columns_snapshot') }} as snapshot_columns
    inner join ranked
        on snapshot_columns.snapshot_id = ranked.snapshot_id
    where ranked.snapshot_rank = 2

),

current_tables as (

    select distinct
        table_schema,
        table_name
    from current_columns

),

previous_tables as (

    select distinct
        table_schema,
        table_name
    from previous_columns

),

compared as (

    select
        coalesce(current_columns.table_schema, previous_columns.table_schema) as table_schema,
        coalesce(current_columns.table_name, previous_columns.table_name) as table_name,
        coalesce(current_columns.column_name, previous_columns.column_name) as column_name,
        previous_columns.data_type as previous_data_type,
        current_columns.data_type as current_data_type
    from current_columns
    full outer join previous_columns
        on current_columns.table_schema = previous_columns.table_schema
            and current_columns.table_name = previous_columns.table_name
            and current_columns.column_name = previous_columns.column_name

),

changes as (

    select
        compared.table_schema,
        compared.table_name,
        compared.column_name,
        case
            when compared.previous_data_type is null and previous_tables.table_name is null
                then 'table_added'
            when compared.current_data_type is null and current_tables.table_name is null
                then 'table_removed'
            when compared.previous_data_type is null then 'column_added'
            when compared.current_data_type is null then 'column_removed'
            else 'type_changed'
        end as change_type,
        compared.previous_data_type,
        compared.current_data_type
    from compared
    left join previous_tables
        on compared.table_schema = previous_tables.table_schema
            and compared.table_name = previous_tables.table_name
    left join current_tables
        on compared.table_schema = current_tables.table_schema
            and compared.table_name = current_tables.table_name
    cross join latest_snapshots
    where latest_snapshots.previous_snapshot_at is not null
        and (
            compared.previous_data_type is null
            or compared.current_data_type is null
            or compared.previous_data_type != compared.current_data_type
        )

),

final as (

    select
        changes.*,
        latest_snapshots.detected_at,
        latest_snapshots.previous_snapshot_at
    from changes
    cross join latest_snapshots

)

select * from final
