{#
    One row per WebPhone staging record that breaks a hard rule of the dictionary
    (the shared body: quarantine_table in macros/observability/quarantine.sql).
#}
{{ quarantine_table('webphone') }}
