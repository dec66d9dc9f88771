{#
    Every record accounted for, per raw table and load. The arithmetic, per row:

        records_reported  = distinct_records + duplicate_deliveries
                            (duplicates: exact copies and stale versions the API
                            delivered in the same load, listed in
                            stg_load_reports__duplicate_keys)
        distinct_records  = current_records + superseded_records
                            (superseded: keys a later load delivered again, whose row
                            that load replaced; never negative, and zero for a table's
                            latest load, unless the table is replaced on every load)
        current_records   = clean_records + quarantined_records
        in_marts_records  = clean_records  (for the tables that feed a fact)

    current/clean/quarantined count the staging rows that still carry the load's
    _dlt_load_id (staging is one row per key, so for an appended table a key counts
    under its latest delivery).
#}
{%- set feeds = {} -%}
{%- for feed in reconciliation_fact_feeds() -%}
    {%- do feeds.update({feed.system ~ '.' ~ feed.table: feed}) -%}
{%- endfor %}

with

reports as (

    select * from {{ ref('stg_load_reports__loads') }}

),

duplicate_keys as (

    select * from {{ ref('stg_load_reports__duplicate_keys') }}

),

{% for feed in reconciliation_fact_feeds() %}
    fact_keys_{{ feed.fact }} as (

        select distinct {{ feed.fact_key }} from {{ ref(feed.fact) }}

    ),

{% endfor %}
{% for system in ['webphone', 'bynder', 'workfront'] -%}
    {% for table, key in dictionary_tables(system) -%}
        {%- set feed = feeds.get(system ~ '.' ~ table) %}
        staged_{{ system }}__{{ table }} as (

            select
                '{{ system }}' as source_system,
                '{{ table }}' as source_table,
                staged._dlt_load_id,
                count(*) as current_records,
                sum(case when staged.dq_issues is null then 1 else 0 end) as clean_records,
                sum(case when staged.dq_issues is not null then 1 else 0 end)
                    as quarantined_records,
                {% if feed -%}
                    sum(case when facts.{{ feed.fact_key }} is not null then 1 else 0 end)
                {%- else -%}
                    cast(null as {{ dbt.type_bigint() }})
                {%- endif %} as in_marts_records
            from {{ ref('stg_' ~ system ~ '__' ~ table) }} as staged
            {% if feed -%}
                left join fact_keys_{{ feed.fact }} as facts
                    on facts.{{ feed.fact_key }} = staged.{{ feed.key }}
                        and staged.dq_issues is null
            {% endif -%}
            group by staged._dlt_load_id

        ),

    {% endfor -%}
{% endfor %}
staged as (

    {% for system in ['webphone', 'bynder', 'workfront'] -%}
        {% for table, key in dictionary_tables(system) -%}
            select * from staged_{{ system }}__{{ table }}
            {% if not loop.last %}union all
            {% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

duplicates as (

    select
        source_system,
        source_table,
        _dlt_load_id,
        sum(case when delivery_defect = 'exact_duplicate' then copies - 1 else 0 end)
            as exact_duplicate_copies,
        sum(case when delivery_defect = 'changed_between_pages' then copies - 1 else 0 end)
            as stale_version_copies
    from duplicate_keys
    group by 1, 2, 3

),

joined as (

    select
        coalesce(reports.source_system, staged.source_system) as source_system,
        coalesce(reports.source_table, staged.source_table) as source_table,
        coalesce(reports._dlt_load_id, staged._dlt_load_id) as _dlt_load_id,
        reports._dlt_load_id is not null as has_load_report,
        reports.write_disposition,
        coalesce(reports.rows_reported, 0) as records_reported,
        coalesce(reports.rows_in_load, 0) as records_in_load,
        coalesce(reports.duplicate_rows, 0) as duplicate_deliveries,
        coalesce(duplicates.exact_duplicate_copies, 0) as exact_duplicate_copies,
        coalesce(duplicates.stale_version_copies, 0) as stale_version_copies,
        coalesce(reports.distinct_keys, reports.rows_in_load, 0) as distinct_records,
        coalesce(reports.rows_landed, 0) as records_landed,
        coalesce(staged.current_records, 0) as current_records,
        coalesce(staged.clean_records, 0) as clean_records,
        coalesce(staged.quarantined_records, 0) as quarantined_records,
        staged.in_marts_records
    from reports
    full outer join staged
        on reports.source_system = staged.source_system
            and reports.source_table = staged.source_table
            and reports._dlt_load_id = staged._dlt_load_id
    left join duplicates
        on reports.source_system = duplicates.source_system
            and reports.source_table = duplicates.source_table
            and reports._dlt_load_id = duplicates._dlt_load_id

),

ordered as (

    select
        joined.*,
        joined.distinct_records - joined.current_records as superseded_records,
        row_number() over (
            partition by joined.source_system, joined.source_table
            order by cast(joined._dlt_load_id as {{ type_double() }}) desc
        ) = 1 as is_latest_load
    from joined

),

final as (

    select
        ordered.*,
        {{ load_id_to_timestamp('_dlt_load_id') }} as _loaded_at,
        ordered.has_load_report
        and ordered.records_reported = ordered.records_in_load
        and ordered.records_reported = ordered.distinct_records + ordered.duplicate_deliveries
        and ordered.duplicate_deliveries
        = ordered.exact_duplicate_copies + ordered.stale_version_copies
        and ordered.records_landed = case
            when ordered.write_disposition = 'append' then ordered.records_in_load else
                ordered.distinct_records
        end
        and ordered.superseded_records >= 0
        and (
            not ordered.is_latest_load
            or ordered.write_disposition = 'replace'
            or ordered.superseded_records = 0
        )
        and ordered.current_records = ordered.clean_records + ordered.quarantined_records
        and (ordered.in_marts_records is null or ordered.in_marts_records = ordered.clean_records)
            as is_accounted_for
    from ordered

)

select * from final
