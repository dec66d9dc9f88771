with

quarantined as (

    select * from {{ ref('quarantine_webphone') }}
    union all
    select * from {{ ref('quarantine_bynder') }}
    union all
    select * from {{ ref('quarantine_workfront') }}

),

rules as (

    {{ split_to_rows(
        'quarantined',
        ['source_system', 'source_table', 'record_key', '_loaded_at'],
        'dq_issues',
        '; '
    ) }}

),

classified as (

    select
        source_system,
        source_table,
        record_key,
        _loaded_at,
        element as dq_rule,
        case
            when element like 'missing %' then 'required'
            when element like 'unreadable %' then 'readable'
            when element like '% not in the documented values' then 'accepted_values'
            when element like '% below %' then 'minimum'
            else 'other'
        end as rule_kind
    from rules

),

summarized as (

    select
        source_system,
        source_table,
        dq_rule,
        rule_kind,
        count(*) as quarantined_records,
        min(_loaded_at) as first_loaded_at,
        max(_loaded_at) as last_loaded_at
    from classified
    group by 1, 2, 3, 4

)

select * from summarized
