{#
    Great Expectations `expect_column_pair_values_A_to_be_greater_than_B` (the
    specification writes it in lower case): fails on every row where `column_A` is not
    greater than `column_B` (`or_equal: true` allows equality). Rows where either
    value is null are ignored.
#}
{% test expect_column_pair_values_a_to_be_greater_than_b(model, column_A, column_B, or_equal=false, row_condition=none) %}

with

failing as (

    select * from {{ model }}
    where {{ column_A }} is not null
        and {{ column_B }} is not null
        and not ({{ column_A }} {{ '>=' if or_equal else '>' }} {{ column_B }})
        {{- expectation_row_condition(row_condition) }}

)

select * from failing

{% endtest %}
