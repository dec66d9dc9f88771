{#
    Elementary's uploads (its artifact tables, run and test results) on the adapters
    this project runs: the same INSERT statements as the package's `insert_rows`, with
    the work that is the same for every row done once per insert.

    The package (0.25.1) renders each cell through four macro calls, two of them
    `adapter.dispatch` lookups, and normalizes the column's type again for every row:
    about 14 ms a row on this project's 2 cores, so a complete `dbt build` spent about
    a minute of its fixed cost rendering the ~2,000 documented columns and ~650 tests
    (docs/performance.md). Upstream has made the same change (elementary-data/
    dbt-data-reliability PR #1041, merged after 0.25.1); drop this file once the pinned
    release includes it. tests/quality/test_elementary_uploads.py compares the two
    renderings statement for statement.
#}
{% macro duckdb__insert_rows(table_relation, rows, should_commit=false, chunk_size=5000, on_query_exceed=none) %}
    {{ return(insert_rows_rendered_once(table_relation, rows, should_commit, chunk_size, on_query_exceed)) }}
{% endmacro %}

{% macro snowflake__insert_rows(table_relation, rows, should_commit=false, chunk_size=5000, on_query_exceed=none) %}
    {{ return(insert_rows_rendered_once(table_relation, rows, should_commit, chunk_size, on_query_exceed)) }}
{% endmacro %}

{% macro insert_rows_rendered_once(table_relation, rows, should_commit, chunk_size, on_query_exceed) %}
    {% set columns = adapter.get_columns_in_relation(table_relation) if rows and table_relation else none %}
    {% if not columns %}
        {# nothing to insert, or no table: the package's own path and its warnings #}
        {{ return(elementary.default__insert_rows(table_relation, rows, should_commit, chunk_size, on_query_exceed)) }}
    {% endif %}
    {% do elementary.file_log("Inserting {} rows to table {}".format(rows | length, table_relation)) %}
    {% for query in insert_rows_queries(table_relation, columns, rows, chunk_size=chunk_size, on_query_exceed=on_query_exceed) %}
        {% do elementary.run_query(query) %}
    {% endfor %}
    {% if should_commit %}
        {% do adapter.commit() %}
    {% endif %}
{% endmacro %}

{#
    The INSERT statements of `rows`, as `elementary.get_insert_rows_queries` writes
    them: rows joined until a statement would pass var `query_max_size` or hold
    `chunk_size` rows; a row too long alone goes through `on_query_exceed` (which
    shortens it in place) and is rendered again.
#}
{% macro insert_rows_queries(table_relation, columns, rows, query_max_size=none, chunk_size=5000, on_query_exceed=none) %}
    {% set max_size = query_max_size or elementary.get_config_var("query_max_size") %}
    {% set base_query %}
       insert into {{ table_relation }}
         ({%- for column in columns -%}
           {{- elementary.escape_reserved_keywords(column.name) -}} {{- "," if not loop.last else "" -}}
         {%- endfor -%})
         {{ elementary.get_query_settings() }}
         values
    {% endset %}
    {% set cells = [] %}
    {% for column in columns %}
        {% do cells.append({
            "keys": [column.name, column.name.lower(), column.name.upper()],
            "type": elementary.normalize_data_type(column.dtype),
            "now": column.name.lower() == "created_at",
        }) %}
    {% endfor %}
    {% set render = {
        "now": elementary.edr_current_timestamp(),
        "true": elementary.edr_boolean_literal(true),
        "false": elementary.edr_boolean_literal(false),
        "escape": adapter.dispatch("escape_special_chars", "elementary"),
    } %}
    {% set queries = [] %}
    {% set base_size = base_query | length %}
    {% set chunk = namespace(rows=[], size=base_size) %}
    {% for row in rows %}
        {% set row_sql = render_row(row, cells, render) %}
        {% if chunk.rows and (chunk.size + 1 + row_sql | length > max_size or chunk.rows | length >= chunk_size) %}
            {% do queries.append(base_query ~ chunk.rows | join(",")) %}
            {% set chunk.rows = [] %}
            {% set chunk.size = base_size %}
        {% endif %}
        {% if not chunk.rows and base_size + row_sql | length > max_size %}
            {% if on_query_exceed %}
                {% do on_query_exceed(row) %}
                {% set row_sql = render_row(row, cells, render) %}
            {% endif %}
            {% if base_size + row_sql | length > max_size %}
                {% do elementary.file_log("Oversized row for insert_rows: {}".format(base_query ~ row_sql)) %}
                {% do exceptions.warn("Row to be inserted exceeds var('query_max_size'). Consider increasing its value.") %}
            {% endif %}
        {% endif %}
        {% do chunk.rows.append(row_sql) %}
        {% set chunk.size = chunk.size + (1 if chunk.rows | length > 1 else 0) + row_sql | length %}
    {% endfor %}
    {% if chunk.rows %}
        {% do queries.append(base_query ~ chunk.rows | join(",")) %}
    {% endif %}
    {{ return(queries) }}
{% endmacro %}

{#
    One row as a SQL tuple, each value as `elementary.render_value` writes it: the
    first of the column's name, lowercase or uppercase that the row holds a defined,
    non-null value for (Elementary's result rows can hold Jinja's undefined).
#}
{% macro render_row(row, cells, render) %}
    {% set values = [] %}
    {% for cell in cells %}
        {% if cell.now %}
            {% do values.append(render.now) %}
        {% else %}
            {% set found = namespace(value=none) %}
            {% for key in cell["keys"] if found.value is none %}
                {% set value = row.get(key) %}
                {% if value is defined and value is not none %}
                    {% set found.value = value %}
                {% endif %}
            {% endfor %}
            {% set value = found.value %}
            {% if value is none %}
                {% do values.append("null") %}
            {% elif value is boolean %}
                {% do values.append(render.true if value else render.false) %}
            {% elif value is number %}
                {% do values.append(value | string) %}
            {% elif value is string and cell.type == "timestamp" %}
                {% do values.append(elementary.edr_cast_as_timestamp(elementary.edr_datetime_to_sql(value))) %}
            {% elif value is string %}
                {% do values.append("'" ~ render.escape(value) ~ "'") %}
            {% elif value is mapping or value is sequence %}
                {% do values.append("'" ~ render.escape(tojson(value)) ~ "'") %}
            {% else %}
                {% do values.append("null") %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {{ return("(" ~ values | join(",") ~ ")") }}
{% endmacro %}

{#
    `dbt run-operation check_elementary_uploads`: compares the statements above with
    the package's own (`elementary.get_insert_rows_queries`) and raises at the first
    difference. Run it after changing the Elementary version. Inputs: the project's
    documented columns, tests and models flattened as Elementary uploads them (into the
    columns of its tables, which a build creates), then edge cases (quotes,
    backslashes, newlines, case of keys, nulls, booleans, numbers, JSON, timestamps,
    `created_at`, statements split by size and by row count, an oversized row
    shortened by `on_query_exceed`). Logs both renderings' time.
#}
{% macro check_elementary_uploads() %}
    {% set chosen = adapter.dispatch("insert_rows", "elementary").macro %}
    {% if chosen.package_name != project_name %}
        {% do exceptions.raise_compiler_error(
            "dbt dispatches Elementary's insert_rows to " ~ chosen.package_name ~ "." ~ chosen.name
            ~ ", not to this project's: check the dispatch search order in dbt_project.yml"
        ) %}
    {% endif %}
    {% do log("insert_rows dispatches to " ~ chosen.package_name ~ "." ~ chosen.name, info=true) %}
    {% set artifacts = [
        ("dbt_columns", elementary.flatten_table_columns, graph.nodes.values() | list + graph.sources.values() | list),
        ("dbt_tests", elementary.flatten_test, graph.nodes.values() | selectattr("resource_type", "equalto", "test") | list),
        ("dbt_models", elementary.flatten_model, graph.nodes.values() | selectattr("resource_type", "equalto", "model") | list),
    ] %}
    {% for table, flatten, nodes in artifacts %}
        {% set relation = elementary.get_elementary_relation(table) %}
        {% if not relation %}
            {% do exceptions.raise_compiler_error("Elementary's table " ~ table ~ " does not exist: run dbt build first") %}
        {% endif %}
        {% set rows = [] %}
        {% for node in nodes %}
            {% set flat = flatten(node) %}
            {% if flat is mapping %}{% do rows.append(flat) %}{% elif flat %}{% do rows.extend(flat) %}{% endif %}
        {% endfor %}
        {# nothing mutates these rows (no on_query_exceed): both renderings read them #}
        {% do _compare_insert_rows(table, relation, adapter.get_columns_in_relation(relation), rows, rows) %}
    {% endfor %}

    {% set relation = api.Relation.create(database=target.database, schema=target.schema, identifier="edge_cases") %}
    {% set columns = [
        api.Column("text_value", "varchar"),
        api.Column("created_at", "timestamp"),
        api.Column("changed_at", "timestamp"),
        api.Column("amount", "integer"),
        api.Column("ratio", "double"),
        api.Column("is_flag", "boolean"),
        api.Column("payload", "varchar"),
    ] %}
    {% set edge_rows = tojson([
        {"text_value": "it's a back\\slash\nand a line", "changed_at": "2026-12-03T10:00:00", "amount": 3, "ratio": 1.5, "is_flag": true, "payload": {"a": [1, "x'y"]}},
        {"TEXT_VALUE": "upper-case key", "amount": 0, "is_flag": false, "payload": ["a", "b"]},
        {"text_value": none, "Text_Value": "never read", "ratio": -0.25},
        {"text_value": "x" * 400, "amount": 7},
        {"text_value": "last", "payload": {}},
    ]) %}
    {% for max_size, chunk_size in [(none, 5000), (700, 5000), (none, 2), (300, 2)] %}
        {% set rows, rows_again = fromjson(edge_rows), fromjson(edge_rows) %}
        {# a value Jinja leaves undefined, as Elementary's result rows can hold #}
        {% do rows[4].update({"amount": this_variable_is_undefined}) %}
        {% do rows_again[4].update({"amount": this_variable_is_undefined}) %}
        {% do _compare_insert_rows(
            "edge cases (query_max_size " ~ max_size ~ ", chunk_size " ~ chunk_size ~ ")",
            relation, columns, rows, rows_again, max_size, chunk_size, _shorten_text_value
        ) %}
    {% endfor %}
{% endmacro %}

{% macro _shorten_text_value(row) %}
    {% do row.update({"text_value": "shortened"}) %}
{% endmacro %}

{#
    `rows` and `rows_again` hold the same rows: `on_query_exceed` changes the rows it
    is given, so each rendering needs its own.
#}
{% macro _compare_insert_rows(name, relation, columns, rows, rows_again, max_size=none, chunk_size=5000, on_query_exceed=none) %}
    {% set started = modules.datetime.datetime.now() %}
    {% set expected = elementary.get_insert_rows_queries(relation, columns, rows, query_max_size=max_size, chunk_size=chunk_size, on_query_exceed=on_query_exceed) %}
    {% set middle = modules.datetime.datetime.now() %}
    {% set actual = insert_rows_queries(relation, columns, rows_again, query_max_size=max_size, chunk_size=chunk_size, on_query_exceed=on_query_exceed) %}
    {% set ended = modules.datetime.datetime.now() %}
    {% if actual != expected %}
        {% for query in expected %}
            {% if loop.index0 >= actual | length or actual[loop.index0] != query %}
                {% do exceptions.raise_compiler_error(
                    name ~ ": statement " ~ loop.index ~ " of " ~ expected | length ~ " differs from the package's (this project has "
                    ~ actual | length ~ ").\npackage: " ~ query[:2000] ~ "\nproject: " ~ (actual[loop.index0][:2000] if loop.index0 < actual | length else "none")
                ) %}
            {% endif %}
        {% endfor %}
        {% do exceptions.raise_compiler_error(name ~ ": the project writes " ~ actual | length ~ " statements, the package " ~ expected | length) %}
    {% endif %}
    {% do log(
        "{}: {} rows in {} statements, identical; package {:.2f} s, project {:.2f} s".format(
            name, rows | length, expected | length,
            (middle - started).total_seconds(), (ended - middle).total_seconds()
        ), info=true
    ) %}
{% endmacro %}
