"""The engineering gates catch what they are meant to catch (and pass clean input).

The gates themselves run on the whole project in `make lint`; these tests prove each
one fails on a planted problem: a secret, a whitespace or YAML error, SQL against the
style guide, and that the hook file only uses local hooks.
"""

from __future__ import annotations

import functools
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlfluff.core import FluffConfig, Linter

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


# ------------------------------------------------------------------------ secrets
def scan(path: Path) -> subprocess.CompletedProcess[str]:
    """detect-secrets as the pre-commit hook runs it, with the project's baseline."""
    return subprocess.run(
        [str(BIN / "detect-secrets-hook"), "--baseline", ".secrets.baseline", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


# Built at run time, so this file holds no secret the scan would flag.
AWS_KEY = "AKIA" + "Q3EGRX5PLZ7TYN2M"
SECRET = "".join(["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "9hQ2vZt0Lk"])


@pytest.mark.parametrize(
    "line",
    [
        f'aws_access_key_id = "{AWS_KEY}"\n',
        f'client_secret = "{SECRET}"\n',
        "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n",
    ],
)
def test_a_planted_secret_fails_the_scan(tmp_path: Path, line: str) -> None:
    planted = tmp_path / "settings.py"
    planted.write_text(line)
    result = scan(planted)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Potential secrets" in result.stdout + result.stderr


def test_an_allowlisted_fake_credential_passes(tmp_path: Path) -> None:
    fake = tmp_path / "settings.py"
    fake.write_text(f'client_secret = "{SECRET}"  # pragma: allowlist secret\n')
    assert scan(fake).returncode == 0


def test_dimension_surrogate_keys_are_not_secrets_but_api_keys_are(tmp_path: Path) -> None:
    """The one line filter of .secrets.baseline: md5 surrogate keys in unit-test rows."""
    digest = hashlib.md5(b"customer-1").hexdigest()  # a surrogate key, as dbt makes them
    rows = tmp_path / "_models.yml"
    rows.write_text(f"rows:\n  - {{customer_key: {digest}, is_current: true}}\n")
    assert scan(rows).returncode == 0
    rows.write_text(f"rows:\n  - {{api_key: {digest}}}\n")
    assert scan(rows).returncode == 1


def test_the_baseline_holds_no_secret() -> None:
    """Exceptions are inline pragmas, visible in the code, not hashes in the baseline."""
    baseline = yaml.safe_load((ROOT / ".secrets.baseline").read_text())
    assert baseline["results"] == {}


# -------------------------------------------------------------------------- files
def run_hook(hook_id: str, path: Path) -> subprocess.CompletedProcess[str]:
    """One hook of .pre-commit-config.yaml on one file, with the entry as configured."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (hook,) = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == hook_id]
    entry = hook["entry"].split()
    return subprocess.run(
        [str(ROOT / entry[0]), *entry[1:], str(path)], capture_output=True, text=True
    )


def test_file_checks_catch_whitespace_bad_yaml_and_conflicts(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("key: [unclosed\n")
    (tmp_path / "b.sql").write_text("select 1  \n")
    (tmp_path / "c.md").write_text("hard  \nbreak\n")
    (tmp_path / "d.txt").write_text("no newline")
    (tmp_path / "e.sql").write_text("<<<<<<< HEAD\nselect 1\n=======\nselect 2\n>>>>>>> x\n")
    assert run_hook("check-yaml", tmp_path / "a.yml").returncode == 1
    assert run_hook("trailing-whitespace", tmp_path / "b.sql").returncode == 1
    assert (tmp_path / "b.sql").read_text() == "select 1\n"
    assert run_hook("trailing-whitespace", tmp_path / "c.md").returncode == 0  # hard break
    assert run_hook("end-of-file-fixer", tmp_path / "d.txt").returncode == 1
    assert (tmp_path / "d.txt").read_text() == "no newline\n"
    assert run_hook("check-merge-conflict", tmp_path / "e.sql").returncode == 1
    assert run_hook("check-yaml", ROOT / "dbt_project.yml").returncode == 0


# ------------------------------------------------------------------------ sqlfluff
GOOD_SQL = """with

orders as (

    select * from {{ ref('orders') }}

),

customers as (

    select * from {{ ref('customers') }}

),

joined as (

    select
        orders.order_id,
        customers.customer_name,
        count(*) as order_count
    from orders
    inner join customers
        on orders.customer_id = customers.customer_id
    group by 1, 2

)

select * from joined
"""


@functools.cache
def project_config(dialect: str) -> FluffConfig:
    """The project's .sqlfluff with the jinja templater (no dbt compile) in ``dialect``."""
    return FluffConfig.from_path(str(ROOT), overrides={"templater": "jinja", "dialect": dialect})


def lint_codes(sql: str, dialect: str) -> set[str]:
    """Rule codes the project's sqlfluff configuration reports on ``sql``."""
    violations = Linter(config=project_config(dialect)).lint_string(sql).violations
    return {violation.rule_code() for violation in violations}


@pytest.mark.parametrize("dialect", ["duckdb", "snowflake"])
def test_the_style_guide_passes(dialect: str) -> None:
    assert lint_codes(GOOD_SQL, dialect) == set()


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        ("SELECT orders.id\nFROM orders\n", "CP01"),  # lowercase keywords
        ("select COUNT(*) as n\nfrom orders\n", "CP03"),  # lowercase functions
        ("select\n    orders.id\n    , orders.total\nfrom orders\n", "LT04"),  # trailing commas
        ("select\n  orders.id,\n  orders.total\nfrom orders\n", "LT02"),  # 4-space indent
        ("select o.id\nfrom orders o\n", "AL01"),  # explicit table alias
        ("select orders.id order_id\nfrom orders\n", "AL02"),  # explicit column alias
        ("select orders.id\nfrom orders\njoin items on orders.id = items.id\n", "AM05"),
        ("select orders.id\nfrom orders, items\nwhere orders.id = items.id\n", "Warehouse_CJ01"),
        ("select orders.id as order\nfrom orders\n", "PRS"),  # a reserved word as a name
    ],
)
def test_the_style_guide_is_enforced(sql: str, code: str) -> None:
    assert code in lint_codes(sql, "duckdb")


def test_a_lateral_table_function_is_not_an_implicit_join() -> None:
    sql = (
        "select parts.value as element\n"
        "from splitted,\n"
        "    lateral flatten(input => splitted.tags) as parts\n"
    )
    assert "Warehouse_CJ01" not in lint_codes(sql, "snowflake")


# ---------------------------------------------------------------------- pre-commit
def test_every_hook_is_local_and_runs_from_the_project_environment() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = config["repos"][0]["hooks"]
    for hook in hooks:
        assert hook["language"] == "system", hook["id"]
        assert hook["entry"].startswith(".venv/bin/"), hook["id"]


def test_the_sqlfluff_hooks_exclude_what_sqlfluffignore_ignores() -> None:
    ignored = [
        line.strip().rstrip("/")
        for line in (ROOT / ".sqlfluffignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    for hook in config["repos"][0]["hooks"]:
        if hook["id"].startswith("sqlfluff"):
            for path in ignored:
                assert re.search(hook["exclude"], f"{path}/x.sql"), (hook["id"], path)


def test_every_fixer_has_a_check_only_twin_for_ci() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = config["repos"][0]["hooks"]
    manual = [hook for hook in hooks if "manual" in hook.get("stages", config["default_stages"])]
    assert not [hook["id"] for hook in manual if "--fix" in hook["entry"]]
    assert not [hook["id"] for hook in manual if hook["entry"].endswith("ruff format")]
