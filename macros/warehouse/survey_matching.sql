{#
    Rule 2 of the survey matching (int_surveys_matched_to_calls): the survey `survey`
    and the call `call` (CTE or table aliases) have the same customer, and the survey
    was sent at most var survey_match_window_minutes after the call ended. One condition
    for the match and for finding the surveys a changed call can match.
#}
{% macro survey_sent_within_window_of_call(survey, call) -%}
    {{ survey }}.customer_id = {{ call }}.customer_id
    and {{ survey }}.sent_at >= {{ call }}.ended_at
    and {{ call }}.ended_at >= {{ dbt.dateadd(
        'minute',
        -1 * var('survey_match_window_minutes'),
        survey ~ '.sent_at'
    ) }}
{%- endmacro %}
