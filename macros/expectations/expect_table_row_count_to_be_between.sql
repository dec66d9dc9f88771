{#
    Great Expectations `expect_table_row_count_to_be_between`: fails when the table's
    row count (or, with `group_by`, any group's count) is outside the bounds.
#}
{% test expect_table_row_count_to_be_between(model, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}

with

counted as (

    select
        {% for column in group_by or [] %}{{ column }},
        {% endfor -%}
        count(*) as row_count
    from {{ model }}
    {{ expectation_row_condition(row_condition, 'where') }}
    {% if group_by %}group by {{ group_by | join(', ') }}{% endif %}

),

{#- an empty table still has a row count (0) when nothing is grouped #}
failing as (

    select * from counted
    where not {{ expectation_between('row_count', min_value, max_value, strictly) }}

)

select * from failing

{% endtest %}
