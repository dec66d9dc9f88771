"""Propagate ``seeds/field_mapping.csv`` into the dbt project.

One row of the dictionary per source field drives:

* ``macros/field_mapping/field_mapping_dictionary.sql``: the dictionary as a macro,
  so staging models compile without a database (generated, never edit by hand);
* ``models/staging/_field_mapping__docs.md``: one doc block per field, for the columns
  downstream models carry unchanged (generated);
* ``models/staging/<system>/_<system>__sources.yml``: the raw tables and their
  columns, descriptions and freshness (generated);
* the ``columns:`` of every model in ``models/staging/<system>/_<system>__models.yml``:
  names, descriptions, PII tags and the dictionary's tests. Everything else in that
  file (model descriptions, model-level tests, unit tests) is hand-written and kept;
* the column lines of every staging model ``models/staging/<system>/stg_*.sql``: one
  line per row between two marker comments, raw column, type and rule in a
  ``stage_column(...)`` call and the staged name as its alias, so a rename shows in
  the model's SQL. Everything else in the model is hand-written and kept; a missing
  model is written whole from a template.

Usage:
    python tools/sync_dictionary.py           # write
    python tools/sync_dictionary.py --check   # exit 1 if anything is out of date
                                              # (a hand edit of a generated part too)
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import sys
from collections import defaultdict
from pathlib import Path
from string import Template
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DICTIONARY = ROOT / "seeds" / "field_mapping.csv"
MACRO = ROOT / "macros" / "field_mapping" / "field_mapping_dictionary.sql"
STAGING = ROOT / "models" / "staging"
SYSTEM_LABELS = {"webphone": "WebPhone", "bynder": "Bynder", "workfront": "Adobe Workfront"}
#: Tables whose rows are appended (several versions of a key): staging deduplicates.
APPEND_TABLES = {("bynder", "usage"), ("bynder", "media_removed"), ("workfront", "journal_entries")}
EXTRA_COLUMNS: list[dict[str, Any]] = [
    {"name": "dq_issues", "description": '{{ doc("dq_issues") }}'},
    {"name": "_raw_record", "description": '{{ doc("raw_record") }}'},
    {
        "name": "_dlt_load_id",
        "description": '{{ doc("dlt_load_id") }}',
        "data_tests": ["dbt_expectations.expect_column_values_to_not_be_null"],
    },
    {"name": "_loaded_at", "description": '{{ doc("loaded_at") }}'},
]


#: The documented wire format of the raw values each standardization rule reads.
#: Source tests check it (warn): a value staging repairs (a phone in national form, a
#: timestamp with a local offset) is still a defect of the source a steward should see.
RAW_FORMATS = {
    "timestamp_utc": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|\+00:00)$",
    "workfront_timestamp": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}:\d{3}[+-]\d{4}$",
    "iso_date": r"^\d{4}-\d{2}-\d{2}$",
    "phone_e164": r"^\+[1-9]\d{7,14}$",
    "phone_e164_array": r'^\[\s*"\+[1-9]\d{7,14}"(\s*,\s*"\+[1-9]\d{7,14}")*\s*\]$',
}


def generic_test(name: str, severity: str, **arguments: Any) -> dict[str, Any]:
    """A generic test entry with its arguments and severity."""
    test: dict[str, Any] = {"arguments": arguments} if arguments else {}
    test["config"] = {"severity": severity}
    return {name: test}


def expectation(name: str, severity: str, **arguments: Any) -> dict[str, Any]:
    """A dbt_expectations test (the Great Expectations vocabulary) of the package."""
    return generic_test(f"dbt_expectations.{name}", severity, **arguments)


def in_set(
    column: str, row: dict[str, str], value_set: list[Any], **options: Any
) -> dict[str, Any]:
    """An accepted-values check (warn).

    dbt_expectations' set test fails on nulls; Great Expectations ignores them, and so
    does this project where a field may be missing (the required-field test reports the
    nulls of required ones).
    """
    if row["is_required"] != "true" and row["is_primary_key"] != "true":
        options["row_condition"] = f"{column} is not null"
    return expectation("expect_column_values_to_be_in_set", "warn", value_set=value_set, **options)


def source_tests(system: str, table: str, row: dict[str, str]) -> list[Any]:
    """Tests of one raw column: keys must hold (error); formats and codes are checked (warn).

    Append tables keep every delivery, so a key delivered twice is a warning there
    (an exact duplicate), not an error.
    """
    tests: list[Any] = []
    if row["is_primary_key"] == "true":
        tests.append(expectation("expect_column_values_to_not_be_null", "error"))
        appended = (system, table) in APPEND_TABLES
        tests.append(
            expectation("expect_column_values_to_be_unique", "warn" if appended else "error")
        )
    if row["rule"] in RAW_FORMATS:
        # is_raw: the pattern reaches the warehouse as written, backslashes and all
        tests.append(
            expectation(
                "expect_column_values_to_match_regex",
                "warn",
                regex=RAW_FORMATS[row["rule"]],
                is_raw=True,
            )
        )
    if row["accepted_values"] and row["rule"] == "workfront_status":
        # a documented status, or a custom one on top of it (INP:A)
        codes = "|".join(row["accepted_values"].split("|"))
        tests.append(
            expectation(
                "expect_column_values_to_match_regex",
                "warn",
                regex=f"^({codes})(:[A-Z0-9]+)?$",
                is_raw=True,
            )
        )
    column = row["raw_column"]
    if row["accepted_values"] and row["rule"] in ("enum_lower", "enum_upper"):
        tests.append(in_set(column, row, row["accepted_values"].split("|")))
    if row["rule"] == "flag_boolean":
        tests.append(in_set(column, row, [0, 1], quote_values=False))
    return tests


def staging_tests(row: dict[str, str]) -> list[Any]:
    """Tests of one staging column from the dictionary's hard and soft rules.

    A key must be present and unique (error: it stops a deploy). A broken hard rule
    (required, minimum) sends the row to quarantine, so the test warns: the steward
    looks, the marts never see the row. A code outside the documented values and a
    dangling reference are soft rules (the row is kept, facts use an unknown member):
    they warn too.
    """
    tests: list[Any] = []
    if row["is_primary_key"] == "true":
        tests.append(expectation("expect_column_values_to_not_be_null", "error"))
        tests.append(expectation("expect_column_values_to_be_unique", "error"))
    elif row["is_required"] == "true":
        tests.append(expectation("expect_column_values_to_not_be_null", "warn"))
    if row["accepted_values"]:
        tests.append(in_set(row["target_column"], row, row["accepted_values"].split("|")))
    if row["min_value"]:
        minimum = float(row["min_value"])
        tests.append(
            expectation(
                "expect_column_values_to_be_between",
                "warn",
                min_value=int(minimum) if minimum.is_integer() else minimum,
            )
        )
    if row["references"]:
        model, column = row["references"].split(".")
        tests.append(
            {
                "relationships": {
                    "arguments": {"to": f"ref('{model}')", "field": column},
                    "config": {"severity": "warn"},
                }
            }
        )
    return tests


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the YAML style guide asks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def dump(data: Any) -> str:
    """YAML text in the project's style."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=100, allow_unicode=True)


def read_dictionary() -> list[dict[str, str]]:
    """The dictionary rows, validated."""
    with DICTIONARY.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seen: set[tuple[str, str, str]] = set()
    for number, row in enumerate(rows, start=2):
        key = (row["source_system"], row["source_object"], row["target_column"])
        if key in seen:
            raise SystemExit(f"{DICTIONARY.name}:{number}: target column {key} appears twice")
        seen.add(key)
    return rows


def by_table(rows: list[dict[str, str]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    """Rows grouped by (system, raw table), in file order."""
    grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[(row["source_system"], row["source_object"])].append(row)
    return grouped


# ------------------------------------------------------------------- the macro
def macro_text(rows: list[dict[str, str]]) -> str:
    """The dictionary as JSON text, parsed by ``fromjson`` in the macro it returns.

    Not a Jinja literal: dbt compiles each macro's template once per process, and
    Jinja compiled the dictionary's literal (900 dicts) in about 0.4 s of every dbt
    invocation (twice when both threads start with a staging model), against a few
    milliseconds for one string. One field a line, as before, for readable diffs.
    """
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        tables[f"{row['source_system']}.{row['source_object']}"].append(
            {
                "field": row["source_field"],
                "raw": row["raw_column"],
                "target": row["target_column"],
                "target_type": row["target_type"],
                "rule": row["rule"],
                "pii": row["pii_class"],
                "primary_key": row["is_primary_key"] == "true",
                "required": row["is_required"] == "true",
                "accepted": [v for v in row["accepted_values"].split("|") if v],
                "min_value": row["min_value"],
            }
        )
    body = ",\n".join(
        f"    {json.dumps(table)}: [\n"
        + ",\n".join(f"        {json.dumps(field)}" for field in fields)
        + "\n    ]"
        for table, fields in tables.items()
    )
    # inside a Jinja string literal, which reads backslash escapes
    text = "{\n" + body + "\n}"
    text = text.replace("\\", "\\\\").replace("'", "\\'")
    return (
        "{# Generated from seeds/field_mapping.csv by tools/sync_dictionary.py: do not edit. #}\n"
        "{% macro field_mapping_dictionary() %}\n"
        "{{ return(fromjson('" + text + "')) }}\n{% endmacro %}\n"
    )


# ----------------------------------------------------------------- sources YAML
def sources_yaml(system: str, tables: dict[str, list[dict[str, str]]]) -> str:
    """The generated sources file of one system."""
    loaded_at = (
        "{{ 'to_timestamp(cast(_dlt_load_id as double))' if target.type == 'duckdb' "
        "else 'to_timestamp_ntz(cast(_dlt_load_id as number(38, 6)))' }}"
    )
    source: dict[str, Any] = {
        "name": system,
        "description": f'{{{{ doc("source_{system}") }}}}',
        "schema": f"raw_{system}",
        "loader": "dlt",
        "config": {
            "loaded_at_field": loaded_at,
            "freshness": {
                "warn_after": {"count": "{{ var('freshness_warn_hours') }}", "period": "hour"},
                "error_after": {"count": "{{ var('freshness_error_hours') }}", "period": "hour"},
            },
        },
        "tables": [],
    }
    for table, rows in tables.items():
        columns: list[dict[str, Any]] = []
        by_name: dict[str, dict[str, Any]] = {}
        for row in rows:
            staged = f"`{row['target_column']}` ({row['rule']})"
            known = by_name.get(row["raw_column"])
            if known is not None:  # one raw field staged twice (a status and its code)
                known["description"] = known["description"][:-1] + f" and as {staged}."
                continue
            column: dict[str, Any] = {
                "name": row["raw_column"],
                "description": f"API field `{row['source_field']}`; staged as {staged}.",
            }
            tests = source_tests(system, table, row)
            if tests:
                column["data_tests"] = tests
            columns.append(column)
            by_name[row["raw_column"]] = column
        entry: dict[str, Any] = {
            "name": table,
            "description": f'{{{{ doc("source_{system}__{table}") }}}}',
            # columns added, removed or retyped since the previous run (Elementary; warn)
            "data_tests": [generic_test("elementary.schema_changes", "warn")],
            "columns": columns,
        }
        source["tables"].append(entry)
    source["tables"].append(
        {
            "name": "_dlt_loads",
            "description": "dlt's ledger of load packages: a row with status 0 once every "
            "file of the package is loaded. Staging takes in only completed loads "
            "(macro `completed_raw_loads`).",
            # the ledger has no _dlt_load_id: fresh when a load completed lately
            "config": {"loaded_at_field": "inserted_at"},
        }
    )
    header = (
        "# Generated from seeds/field_mapping.csv by tools/sync_dictionary.py: do not edit.\n"
        "# Table descriptions live in _" + system + "__docs.md.\n"
    )
    return header + dump({"version": 2, "sources": [source]})


# ------------------------------------------------------------------ models YAML
def column_entries(system: str, table: str, rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The dictionary's columns of one staging model, with their tests."""
    entries: list[dict[str, Any]] = []
    for row in rows:
        tests = staging_tests(row)
        entry: dict[str, Any] = {"name": row["target_column"], "description": row["description"]}
        meta = {"source_field": row["source_field"], "rule": row["rule"]}
        if row["pii_class"] != "none":
            meta["pii"] = row["pii_class"]
            entry["tags"] = ["pii"]
        entry["meta"] = meta
        if tests:
            entry["data_tests"] = tests
        entries.append(entry)
    return entries + [dict(extra) for extra in EXTRA_COLUMNS]


def models_yaml(system: str, tables: dict[str, list[dict[str, str]]], current: str | None) -> str:
    """The models file of one staging folder, with dictionary columns refreshed."""
    # libyaml's loader where the wheel has it: the pure-Python one takes seconds here
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(current, Loader=loader) if current else {}
    data = data or {}
    data.setdefault("version", 2)
    existing = {model["name"]: model for model in data.get("models", [])}
    models = []
    for table, rows in tables.items():
        name = f"stg_{system}__{table}"
        model = existing.pop(name, {"name": name})
        model.setdefault("description", f'{{{{ doc("{name}") }}}}')
        model["columns"] = column_entries(system, table, rows)
        models.append(model)
    models.extend(existing.values())  # hand-written models without dictionary rows
    data["models"] = models
    ordered = {"version": data.pop("version"), "models": data.pop("models"), **data}
    return (
        "# The columns: of each model are generated from seeds/field_mapping.csv by\n"
        "# tools/sync_dictionary.py; everything else here is hand-written and kept.\n"
        + dump(ordered)
    )


# --------------------------------------------------------------- staging SQL
#: The generated column lines of a staging model sit between these two comments;
#: everything else in the model is hand-written and kept.
BLOCK_BEGIN = "{# columns: generated from seeds/field_mapping.csv by tools/sync_dictionary.py #}"
BLOCK_END = "{# end of generated columns #}"
#: The indent of a select-list line in a staging model's ``standardized`` CTE.
INDENT = " " * 8
MAX_LINE = 100  # .sqlfluff max_line_length


def raw_fields_line(system: str, table: str) -> str:
    """The line that sets ``raw``, the model's input to every column line."""
    return f"{{%- set raw = raw_fields('{system}', '{table}', raw_relation) -%}}"


def column_line(row: dict[str, str]) -> str:
    """One staged column: raw column, type and rule in the call, the target as its alias.

    A line over the width limit puts its alias on the next line.
    """
    call = (
        f"{{{{ stage_column(raw, '{row['raw_column']}', "
        f"'{row['target_type']}', '{row['rule']}') }}}}"
    )
    line = f"{INDENT}{call} as {row['target_column']},"
    if len(line) <= MAX_LINE:
        return line
    return f"{INDENT}{call}\n{INDENT}    as {row['target_column']},"


def column_block(rows: list[dict[str, str]]) -> str:
    """The generated block: the markers and one line per dictionary row, in file order.

    From the begin marker (its indent belongs to the model) to the end marker, the
    span ``with_column_block`` replaces.
    """
    lines = [BLOCK_BEGIN, *(column_line(row) for row in rows), INDENT + BLOCK_END]
    return "\n".join(lines)


def with_column_block(
    path: Path, text: str, system: str, table: str, rows: list[dict[str, str]]
) -> str:
    """A staging model's text with its generated block rewritten from the dictionary.

    Raises SystemExit when the model has no block, or does not set ``raw`` for its own
    table: the generator cannot tell where the columns go.
    """
    where = path.relative_to(ROOT)
    begin, end = text.find(BLOCK_BEGIN), text.find(BLOCK_END)
    if begin < 0 or end < begin or text.count(BLOCK_BEGIN) != 1 or text.count(BLOCK_END) != 1:
        raise SystemExit(f"{where}: needs one generated block ({BLOCK_BEGIN} ... {BLOCK_END})")
    if raw_fields_line(system, table) not in text:
        raise SystemExit(f"{where}: needs the line {raw_fields_line(system, table)}")
    return text[:begin] + column_block(rows) + text[end + len(BLOCK_END) :]


STAGING_SQL = Template("""{{ config(unique_key='$key') }}
{%- set raw_relation = source('$system', '$table') -%}
$raw_fields

with

source as (

    select * from {{ raw_relation }}
    where {{ completed_raw_loads('$system') }}

),

standardized as (

    select
        $columns
        {{ quality_issues('$system', '$table', raw_relation) }} as dq_issues,
        case
            when dq_issues is not null then {{ row_to_json('source') }}
        end as _raw_record,
        {{ load_metadata_columns() }}
    from source

)$dedup

select * from $final
""")

DEDUP_SQL = Template(""",

deduplicated as (

    {{ dbt_utils.deduplicate('standardized', '$key', '${order}_dlt_load_id desc') }}

)""")


def staging_sql(system: str, table: str, rows: list[dict[str, str]]) -> str:
    """A new staging model: source, standardize and check, (deduplicate), select.

    Incremental on the table's key, as most staging models are; a raw table the loader
    replaces whole becomes a plain table by hand (see stg_bynder__campaigns).
    """
    key = next(r["target_column"] for r in rows if r["is_primary_key"] == "true")
    dedup = (system, table) in APPEND_TABLES
    has_version = any(r["target_column"] == "updated_at" for r in rows)
    dedup_sql = (
        DEDUP_SQL.substitute(key=key, order="updated_at desc, " if has_version else "")
        if dedup
        else ""
    )
    return STAGING_SQL.substitute(
        system=system,
        table=table,
        key=key,
        raw_fields=raw_fields_line(system, table),
        columns=column_block(rows),
        dedup=dedup_sql,
        final="deduplicated" if dedup else "standardized",
    )


# ------------------------------------------------------------- column doc blocks
DOCS = ROOT / "models" / "staging" / "_field_mapping__docs.md"


def docs_text(rows: list[dict[str, str]]) -> str:
    """One doc block per dictionary row, ``dictionary__<system>__<table>__<column>``.

    Intermediate and mart columns that carry a dictionary field reuse its description
    with ``{{ doc("dictionary__...") }}``, so a field is described once.
    """
    blocks = [
        "{#- Generated from seeds/field_mapping.csv by tools/sync_dictionary.py: do not edit. -#}"
    ]
    for row in rows:
        name = f"dictionary__{row['source_system']}__{row['source_object']}__{row['target_column']}"
        blocks.append(f"{{% docs {name} %}}\n{row['description']}\n{{% enddocs %}}")
    return "\n\n".join(blocks) + "\n"


def difference(path: Path, expected: str, limit: int = 20) -> str:
    """The first lines of a unified diff from a file as it is to as it should be."""
    current = path.read_text().splitlines(keepends=True) if path.exists() else []
    lines = list(
        difflib.unified_diff(
            current, expected.splitlines(keepends=True), "as it is", "as generated", n=0
        )
    )
    shown = "".join(lines[:limit])
    return shown + (f"... {len(lines) - limit} more diff lines\n" if len(lines) > limit else "")


def main(argv: list[str] | None = None) -> int:
    """Write (or check) every generated artefact."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail if anything is stale")
    args = parser.parse_args(argv)
    rows = read_dictionary()
    outputs: dict[Path, str] = {MACRO: macro_text(rows), DOCS: docs_text(rows)}
    systems: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(dict)
    for (system, table), table_rows in by_table(rows).items():
        systems[system][table] = table_rows
    for system, tables in systems.items():
        folder = STAGING / system
        outputs[folder / f"_{system}__sources.yml"] = sources_yaml(system, tables)
        models_file = folder / f"_{system}__models.yml"
        current = models_file.read_text() if models_file.exists() else None
        outputs[models_file] = models_yaml(system, tables, current)
        for table, table_rows in tables.items():
            sql = folder / f"stg_{system}__{table}.sql"
            outputs[sql] = (
                with_column_block(sql, sql.read_text(), system, table, table_rows)
                if sql.exists()
                else staging_sql(system, table, table_rows)
            )
    stale = [
        path for path, text in outputs.items() if not path.exists() or path.read_text() != text
    ]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)} (run: make dictionary)")
            print(difference(path, outputs[path]), end="")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
