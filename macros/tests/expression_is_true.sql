{#
    The rows for which a SQL expression is not true (false or null), as dbt_utils'
    expression_is_true: for arithmetic and logical invariants of a model, such as
    `budget_variance = budget - recorded_cost`. Use the `where` config to restrict it.
    (No package hub here, see DESIGN.md decision 1; the Great Expectations tests live in
    macros/expectations/.)
#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
