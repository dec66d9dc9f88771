"""dbt-score rules for the project's conventions (docs/reference/style_anchors.md).

dbt-score loads this module (``[tool.dbt-score]`` in pyproject.toml) and scores every
model and source of ``manifest.json`` against these rules only; CI fails below 10.0,
that is on any violation (``make lint-dbt``). A violation that is a deliberate
exception is written down, with its reason, in ``conventions_exceptions.yml``.

The layer of a model is its first folder under ``models/``; the source of a staging
model is its folder under ``models/staging/``; the domain of a mart is its folder
under ``models/marts/``.

Annotations stay unpostponed here (no ``from __future__ import annotations``): dbt-score
finds what a rule evaluates (model or source) from the annotation's class.
"""

import re
from pathlib import PurePosixPath

from dbt_score import Model, RuleViolation, Severity, Source, rule

from tools.dbt_conventions.exceptions import is_excepted

#: Model name prefixes allowed in each layer folder other than staging. The
#: observability layer (reconciliation_*) has no prefix.
LAYER_PREFIXES: dict[str, tuple[str, ...]] = {
    "intermediate": ("int_",),
    "marts": ("fact_", "dim_", "rpt_"),
    "quarantine": ("quarantine_",),
    "observability": (),
}
LAYERS = ("staging", *LAYER_PREFIXES)
#: The source whose staging models each mart domain may read directly; a domain not
#: listed (shared, cross-system) reads no staging model: intermediate models first.
DOMAIN_SOURCES: dict[str, str] = {
    "call_center": "webphone",
    "digital_assets": "bynder",
    "projects": "workfront",
}
#: Tests that make one column a key (dbt built-ins and their dbt_expectations twins; a
#: test is named without its package namespace in the manifest).
UNIQUE_TESTS = {"unique", "expect_column_values_to_be_unique"}
NOT_NULL_TESTS = {"not_null", "expect_column_values_to_not_be_null"}
#: Tests that make a set of columns a key.
COMPOUND_KEY_TESTS = {"expect_compound_columns_to_be_unique", "unique_combination_of_columns"}
#: dlt's ledger of completed loads: staging reads it beside its raw table
LOAD_LEDGER = "_dlt_loads"
GRAIN = re.compile(r"\bone row per\b", re.IGNORECASE)
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")


def _parts(model: Model) -> tuple[str, ...]:
    """The folders of a model below ``models/`` (without the file name)."""
    path = PurePosixPath(model.original_file_path)
    parts = path.parent.parts
    return parts[1:] if parts and parts[0] == "models" else parts


def layer_of(model: Model) -> str | None:
    """``staging``, ``intermediate``, ... or None outside a layer folder."""
    parts = _parts(model)
    return parts[0] if parts and parts[0] in LAYERS else None


def staging_source_of(model: Model) -> str | None:
    """The source folder of a staging model (``models/staging/<source>/``)."""
    parts = _parts(model)
    return parts[1] if len(parts) >= 2 and parts[0] == "staging" else None


def _verdict(rule_name: str, node: str, problems: list[str]) -> RuleViolation | None:
    """A violation listing ``problems``, unless there are none or it is excepted."""
    if not problems or is_excepted(rule_name, node):
        return None
    return RuleViolation(message="; ".join(problems))


@rule(severity=Severity.HIGH)
def model_name_matches_layer(model: Model) -> RuleViolation | None:
    """Models are named by layer: stg_<source>__, base_<source>__, int_, fact_/dim_/rpt_."""
    problems: list[str] = []
    layer = layer_of(model)
    if not SNAKE_CASE.match(model.name):
        problems.append(f"{model.name} is not snake_case")
    if layer is None:
        problems.append(
            f"{model.original_file_path} is not under a layer folder ({', '.join(LAYERS)})"
        )
    elif layer == "staging":
        source = staging_source_of(model)
        parts = _parts(model)
        is_base = len(parts) == 3 and parts[2] == "base"
        prefix = f"{'base' if is_base else 'stg'}_{source}__"
        if source is None or len(parts) > (3 if is_base else 2):
            problems.append("staging models live in models/staging/<source>/ (or its base/)")
        elif not model.name.startswith(prefix) or model.name == prefix:
            problems.append(f"a staging model in staging/{source}/ is named {prefix}<entity>s")
    elif LAYER_PREFIXES[layer] and not model.name.startswith(LAYER_PREFIXES[layer]):
        expected = " or ".join(f"{p}*" for p in LAYER_PREFIXES[layer])
        problems.append(f"a model in models/{layer}/ is named {expected}")
    return _verdict("model_name_matches_layer", model.name, problems)


@rule(severity=Severity.HIGH)
def model_states_its_grain(model: Model) -> RuleViolation | None:
    """A model's description states its grain: "One row per ..."."""
    problems = []
    if not model.description.strip():
        problems.append("the model has no description")
    elif not GRAIN.search(model.description):
        problems.append('the description does not state the grain ("One row per ...")')
    return _verdict("model_states_its_grain", model.name, problems)


@rule(severity=Severity.HIGH)
def model_has_primary_key_test(model: Model) -> RuleViolation | None:
    """A model has a primary-key test: unique + not_null on one column, or a compound key."""
    unique: set[str] = set()
    not_null: set[str] = set()
    compound = False
    for test in model._raw_test_values:
        metadata = test.get("test_metadata") or {}
        name = metadata.get("name", "")
        tested = str((metadata.get("kwargs") or {}).get("column_name") or "").strip('`"')
        if name in COMPOUND_KEY_TESTS:
            compound = True
        elif name in UNIQUE_TESTS and tested:
            unique.add(tested.lower())
        elif name in NOT_NULL_TESTS and tested:
            not_null.add(tested.lower())
    for column in model.columns:
        if any(constraint.type == "not_null" for constraint in column.constraints):
            not_null.add(column.name.lower())
    problems = []
    if not compound and not unique & not_null:
        problems.append(
            "no primary-key test: unique and not_null on one column, "
            f"or one of {', '.join(sorted(COMPOUND_KEY_TESTS))}"
        )
    return _verdict("model_has_primary_key_test", model.name, problems)


@rule(severity=Severity.HIGH)
def only_staging_reads_sources(model: Model) -> RuleViolation | None:
    """Sources are read by staging models only (snapshots may read raw tables too)."""
    problems = []
    if layer_of(model) != "staging":
        read = sorted(p.selector_name for p in model.parents if isinstance(p, Source))
        if read:
            problems.append(f"reads source {', '.join(read)}: read its staging model instead")
    return _verdict("only_staging_reads_sources", model.name, problems)


@rule(severity=Severity.HIGH)
def staging_reads_one_source_of_its_folder(model: Model) -> RuleViolation | None:
    """A staging model reads exactly one table of the source its folder is named after."""
    if layer_of(model) != "staging":
        return None
    folder = staging_source_of(model)
    # the load ledger (which loads completed) is read beside the data table
    sources = [p for p in model.parents if isinstance(p, Source) and p.name != LOAD_LEDGER]
    models = [p for p in model.parents if isinstance(p, Model)]
    problems = []
    if len(sources) != 1 and not (len(sources) == 0 and models):
        problems.append(f"reads {len(sources)} source tables; a staging model reads one")
    problems += [
        f"reads {s.selector_name}, not a table of source {folder}"
        for s in sources
        if s.source_name != folder
    ]
    problems += [
        f"reads model {m.name}: staging reads only its source (or a base_{folder}__ model)"
        for m in models
        if not m.name.startswith(f"base_{folder}__")
    ]
    return _verdict("staging_reads_one_source_of_its_folder", model.name, problems)


@rule(severity=Severity.HIGH)
def marts_read_only_their_own_staging(model: Model) -> RuleViolation | None:
    """A mart reads staging models of its own domain's source only (else: intermediate)."""
    parts = _parts(model)
    if layer_of(model) != "marts":
        return None
    domain = parts[1] if len(parts) > 1 else None
    own = DOMAIN_SOURCES.get(domain or "")
    problems = []
    for parent in model.parents:
        if isinstance(parent, Model) and layer_of(parent) == "staging":
            source = staging_source_of(parent)
            if source != own:
                whose = f"the {domain} domain's" if domain else "a domain folder's"
                problems.append(
                    f"reads {parent.name} (source {source}), not {whose} own staging: "
                    "go through an intermediate model"
                )
    return _verdict("marts_read_only_their_own_staging", model.name, problems)


@rule(severity=Severity.HIGH)
def model_documented_in_its_folder_yaml(model: Model) -> RuleViolation | None:
    """A model's properties live in its own folder's ``_<folder>__models.yml``."""
    problems = []
    if not model.patch_path:
        problems.append("the model has no properties (no entry in a _<folder>__models.yml)")
    else:
        yaml_path = PurePosixPath(model.patch_path.split("://", 1)[-1])
        sql_folder = PurePosixPath(model.original_file_path).parent
        if yaml_path.parent != sql_folder:
            problems.append(f"documented in {yaml_path}, outside its folder {sql_folder}/")
        elif not re.fullmatch(r"_[a-z0-9_]+__models\.ya?ml", yaml_path.name):
            problems.append(f"documented in {yaml_path.name}, not in _<folder>__models.yml")
    return _verdict("model_documented_in_its_folder_yaml", model.name, problems)


@rule(severity=Severity.MEDIUM)
def source_is_fully_declared(source: Source) -> RuleViolation | None:
    """A source table has a description, ``loader: dlt`` and a freshness check."""
    problems = []
    if not source.description.strip():
        problems.append("the table has no description")
    if source.loader != "dlt":
        problems.append("the source does not say `loader: dlt`")
    freshness = source._raw_values.get("freshness") or {}
    if not any((freshness.get(key) or {}).get("count") for key in ("warn_after", "error_after")):
        problems.append("no freshness (warn_after / error_after)")
    folder = PurePosixPath(source.original_file_path).parent
    if folder != PurePosixPath("models/staging") / source.source_name:
        problems.append(f"declared in {folder}/, not in models/staging/{source.source_name}/")
    return _verdict("source_is_fully_declared", source.selector_name, problems)
