{#
    dbt runs a package's version of a built-in materialization only where the project
    asks for it (dbt >= 1.8): every test runs through Elementary's test
    materialization, which records the failing-row samples and counts its report and
    alerts show (Elementary's documented setup). Samples follow the PII settings in
    dbt_project.yml (vars disable_samples_on_pii_tags, pii_tags).
#}
{% materialization test, default %}
    {{ return(elementary.materialization_test_default()) }}
{% endmaterialization %}

{% materialization test, adapter="snowflake" %}
    {{ return(elementary.materialization_test_snowflake()) }}
{% endmaterialization %}
