{#
    Great Expectations `expect_column_values_to_match_regex`: fails on every row whose
    text does not match `regex` (a search: anchor with ^ and $ for a whole-value
    match). `is_raw: true` passes the pattern to the warehouse untouched; `flags: i`
    ignores case. Nulls are ignored. The regex dialect is dispatched (macros/cross_db).
#}
{% test expect_column_values_to_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags='') %}

with

failing as (

    select * from {{ model }}
    where {{ column_name }} is not null
        and not {{ regex_search(
            'cast(' ~ column_name ~ ' as ' ~ dbt.type_string() ~ ')', regex, is_raw, flags) }}
        {{- expectation_row_condition(row_condition) }}

)

select * from failing

{% endtest %}
