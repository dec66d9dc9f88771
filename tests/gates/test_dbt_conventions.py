"""The dbt convention rules (tools/dbt_conventions) on small hand-made nodes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbt_score import Model, Source

from tools.dbt_conventions import exceptions, layout, rules


def make_model(
    name: str,
    path: str,
    *,
    description: str = "One row per thing.",
    tests: list[dict[str, Any]] | None = None,
    patch_path: str | None = "default",
    parents: list[Model | Source] | None = None,
) -> Model:
    """A dbt-score model as the manifest would describe it."""
    folder = path.rsplit("/", 1)[0]
    node: dict[str, Any] = {
        "unique_id": f"model.warehouse.{name}",
        "name": name,
        "description": description,
        "original_file_path": path,
        "config": {},
        "meta": {},
        "columns": {},
        "package_name": "warehouse",
        "database": "db",
        "schema": "main",
        "raw_code": "select 1",
        "language": "sql",
        "access": "protected",
        "alias": name,
        "patch_path": (
            f"warehouse://{folder}/_{folder.rsplit('/', 1)[-1]}__models.yml"
            if patch_path == "default"
            else patch_path
        ),
        "tags": [],
        "depends_on": {"nodes": []},
        "constraints": [],
    }
    model = Model.from_node(node, tests or [])
    model.parents = list(parents or [])
    return model


def make_source(source_name: str, table: str, **overrides: Any) -> Source:
    """A dbt-score source table."""
    node = {
        "unique_id": f"source.warehouse.{source_name}.{table}",
        "name": table,
        "description": "A raw table.",
        "source_name": source_name,
        "source_description": "",
        "original_file_path": f"models/staging/{source_name}/_{source_name}__sources.yml",
        "config": {},
        "meta": {},
        "package_name": "warehouse",
        "database": "db",
        "schema": f"raw_{source_name}",
        "identifier": table,
        "loader": "dlt",
        "freshness": {"warn_after": {"count": 24, "period": "hour"}, "error_after": {}},
        "tags": [],
        **overrides,
    }
    return Source.from_node(node, [])


def key_test(kind: str, column: str | None = None, **kwargs: Any) -> dict[str, Any]:
    """A generic test node attached to a model."""
    if column is not None:
        kwargs["column_name"] = column
    return {"name": f"{kind}_{column}", "test_metadata": {"name": kind, "kwargs": kwargs}}


PK = [key_test("unique", "call_id"), key_test("not_null", "call_id")]


def evaluate(rule_class: type, node: Model | Source) -> str | None:
    """The violation message of one rule on one node, or None."""
    violation = rule_class().evaluate(node)
    return None if violation is None else str(violation.message)


@pytest.fixture(autouse=True)
def no_exceptions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Rules see an empty exceptions file unless a test writes one."""
    path = tmp_path / "conventions_exceptions.yml"
    path.write_text("exceptions: []\n")
    monkeypatch.setattr(exceptions, "EXCEPTIONS_FILE", path)
    exceptions._cached_load.cache_clear()
    yield path
    exceptions._cached_load.cache_clear()


@pytest.mark.parametrize(
    ("name", "path", "ok"),
    [
        ("stg_webphone__calls", "models/staging/webphone/stg_webphone__calls.sql", True),
        ("stg_bynder__calls", "models/staging/webphone/stg_bynder__calls.sql", False),
        ("base_webphone__calls", "models/staging/webphone/base/base_webphone__calls.sql", True),
        ("stg_webphone__calls", "models/staging/stg_webphone__calls.sql", False),
        ("int_calls_measured", "models/intermediate/call_center/int_calls_measured.sql", True),
        ("calls_measured", "models/intermediate/call_center/calls_measured.sql", False),
        ("fact_calls", "models/marts/call_center/fact_calls.sql", True),
        ("rpt_daily", "models/marts/call_center/rpt_daily.sql", True),
        ("int_calls", "models/marts/call_center/int_calls.sql", False),
        ("quarantine_webphone", "models/quarantine/quarantine_webphone.sql", True),
        ("reconciliation_tables", "models/observability/reconciliation_tables.sql", True),
        ("Fact_Calls", "models/marts/call_center/Fact_Calls.sql", False),
        ("calls", "models/calls.sql", False),
    ],
)
def test_names_follow_the_layer(name: str, path: str, ok: bool) -> None:
    model = make_model(name, path, tests=PK)
    assert (evaluate(rules.model_name_matches_layer, model) is None) == ok


@pytest.mark.parametrize(
    ("description", "ok"),
    [
        ("Calls, one row per call attempt.", True),
        ("One row per agent and day.", True),
        ("Calls.", False),
        ("", False),
    ],
)
def test_the_description_states_the_grain(description: str, ok: bool) -> None:
    model = make_model(
        "fact_calls", "models/marts/call_center/fact_calls.sql", description=description
    )
    assert (evaluate(rules.model_states_its_grain, model) is None) == ok


@pytest.mark.parametrize(
    ("tests", "ok"),
    [
        (PK, True),
        ([key_test("unique", "call_id"), key_test("not_null", "agent_id")], False),
        ([key_test("unique", "call_id")], False),
        (
            [
                key_test("expect_column_values_to_be_unique", "call_id"),
                key_test("expect_column_values_to_not_be_null", "call_id"),
            ],
            True,
        ),
        ([key_test("expect_compound_columns_to_be_unique", column_list=["a", "b"])], True),
        ([], False),
    ],
)
def test_a_primary_key_is_tested(tests: list[dict[str, Any]], ok: bool) -> None:
    model = make_model("fact_calls", "models/marts/call_center/fact_calls.sql", tests=tests)
    assert (evaluate(rules.model_has_primary_key_test, model) is None) == ok


def test_only_staging_reads_sources() -> None:
    calls = make_source("webphone", "calls")
    staging = make_model(
        "stg_webphone__calls", "models/staging/webphone/stg_webphone__calls.sql", parents=[calls]
    )
    mart = make_model("fact_calls", "models/marts/call_center/fact_calls.sql", parents=[calls])
    assert evaluate(rules.only_staging_reads_sources, staging) is None
    assert "webphone.calls" in str(evaluate(rules.only_staging_reads_sources, mart))


def test_staging_reads_one_table_of_its_own_source() -> None:
    path = "models/staging/webphone/stg_webphone__calls.sql"
    own = make_model("stg_webphone__calls", path, parents=[make_source("webphone", "calls")])
    other = make_model("stg_webphone__calls", path, parents=[make_source("bynder", "media")])
    two = make_model(
        "stg_webphone__calls",
        path,
        parents=[make_source("webphone", "calls"), make_source("webphone", "agents")],
    )
    with_ledger = make_model(
        "stg_webphone__calls",
        path,
        parents=[make_source("webphone", "calls"), make_source("webphone", "_dlt_loads")],
    )
    rule = rules.staging_reads_one_source_of_its_folder
    assert evaluate(rule, own) is None
    assert evaluate(rule, with_ledger) is None
    assert evaluate(rule, other) is not None
    assert evaluate(rule, two) is not None


def test_marts_read_only_their_own_domain_staging() -> None:
    webphone = make_model("stg_webphone__calls", "models/staging/webphone/stg_webphone__calls.sql")
    bynder = make_model("stg_bynder__media", "models/staging/bynder/stg_bynder__media.sql")
    rule = rules.marts_read_only_their_own_staging
    own = make_model("fact_calls", "models/marts/call_center/fact_calls.sql", parents=[webphone])
    other = make_model("fact_calls", "models/marts/call_center/fact_calls.sql", parents=[bynder])
    shared = make_model("dim_campaign", "models/marts/shared/dim_campaign.sql", parents=[bynder])
    assert evaluate(rule, own) is None
    assert "stg_bynder__media" in str(evaluate(rule, other))
    assert evaluate(rule, shared) is not None


def test_models_are_documented_in_their_folder_yaml() -> None:
    rule = rules.model_documented_in_its_folder_yaml
    path = "models/marts/call_center/fact_calls.sql"
    assert evaluate(rule, make_model("fact_calls", path)) is None
    assert evaluate(rule, make_model("fact_calls", path, patch_path=None)) is not None
    elsewhere = "warehouse://models/marts/shared/_shared__models.yml"
    assert evaluate(rule, make_model("fact_calls", path, patch_path=elsewhere)) is not None
    per_model = "warehouse://models/marts/call_center/fact_calls.yml"
    assert evaluate(rule, make_model("fact_calls", path, patch_path=per_model)) is not None


def test_sources_are_fully_declared() -> None:
    rule = rules.source_is_fully_declared
    assert evaluate(rule, make_source("webphone", "calls")) is None
    assert evaluate(rule, make_source("webphone", "calls", freshness=None)) is not None
    assert evaluate(rule, make_source("webphone", "calls", loader="")) is not None


def test_an_exception_with_a_reason_excuses_and_is_recorded(no_exceptions: Path) -> None:
    no_exceptions.write_text(
        "exceptions:\n"
        "  - rule: model_states_its_grain\n"
        "    node: fact_calls\n"
        "    reason: The grain is documented in the doc block of the folder instead.\n"
        "  - rule: model_states_its_grain\n"
        "    node: fact_other\n"
        "    reason: Listed here but never needed by any violation at all.\n"
    )
    model = make_model("fact_calls", "models/marts/call_center/fact_calls.sql", description="x")
    assert evaluate(rules.model_states_its_grain, model) is None
    entries, problems = exceptions.load()
    assert problems == []
    assert [entry.node for entry in exceptions.unused(entries)] == ["fact_other"]


def test_an_exception_needs_a_reason(no_exceptions: Path) -> None:
    no_exceptions.write_text(
        "exceptions:\n  - rule: model_states_its_grain\n    node: fact_calls\n    reason: ok\n"
    )
    model = make_model("fact_calls", "models/marts/call_center/fact_calls.sql", description="x")
    assert evaluate(rules.model_states_its_grain, model) is not None
    _, problems = exceptions.load()
    assert problems and "write down why" in problems[0]


def test_one_yaml_per_folder(tmp_path: Path) -> None:
    good = tmp_path / "models" / "marts" / "call_center"
    good.mkdir(parents=True)
    (good / "fact_calls.sql").write_text("select 1")
    (good / "_call_center__models.yml").write_text("version: 2\n")
    staging = tmp_path / "models" / "staging" / "webphone"
    staging.mkdir(parents=True)
    (staging / "stg_webphone__calls.sql").write_text("select 1")
    (staging / "_webphone__models.yml").write_text("version: 2\n")
    (staging / "_webphone__sources.yml").write_text("version: 2\n")
    (tmp_path / "models" / "marts" / "_marts__exposures.yml").write_text("version: 2\n")
    assert layout.check(tmp_path) == []

    (good / "fact_calls.yml").write_text("version: 2\n")
    bad = tmp_path / "models" / "intermediate" / "call_center"
    bad.mkdir(parents=True)
    (bad / "int_calls_measured.sql").write_text("select 1")
    problems = layout.check(tmp_path)
    assert any("fact_calls.yml" in problem for problem in problems)
    assert any("models/intermediate/call_center/: needs one" in p for p in problems)
