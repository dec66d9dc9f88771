"""Check the dbt conventions: ``python -m tools.dbt_conventions [--parse]``.

1. the exceptions file is well formed (a known rule, a node and a reason each);
2. one YAML per model folder (:mod:`tools.dbt_conventions.layout`);
3. dbt-score with this project's rules over ``manifest.json`` (any violation fails);
4. every written-down exception still excuses a violation (else: delete it).

Exit status 0 when all pass, 1 on a violation, 2 when the manifest cannot be built.
"""

from __future__ import annotations

import argparse
import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dbt_score.cli import cli as dbt_score_cli
from dbt_score.rule import Rule

from tools.dbt_conventions import exceptions, layout, rules
from tools.dbt_conventions.exceptions import ROOT


def known_rules() -> set[str]:
    """Names an exception may refer to."""
    names = {name for name, obj in inspect.getmembers(rules) if _is_rule(obj)}
    return names | {layout.RULE}


def _is_rule(obj: object) -> bool:
    return inspect.isclass(obj) and issubclass(obj, Rule) and obj is not Rule


def parse_project(target_path: Path) -> bool:
    """``dbt parse`` into ``target_path`` (no database needed); False on failure."""
    if not (ROOT / "profiles.yml").exists() and "DBT_PROFILES_DIR" not in os.environ:
        shutil.copy(ROOT / "profiles.yml.example", ROOT / "profiles.yml")
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), "parse", "--quiet", "--target-path", str(target_path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
        print("dbt parse failed: the conventions cannot be checked", file=sys.stderr)
    return result.returncode == 0


def main(argv: list[str] | None = None) -> int:
    """Run every convention check; print each problem; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parse", action="store_true", help="run `dbt parse` first")
    parser.add_argument(
        "--target-path",
        type=Path,
        default=Path(os.environ.get("DBT_TARGET_PATH", ROOT / "target")),
        help="dbt target directory holding manifest.json (default: $DBT_TARGET_PATH or target)",
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # dbt-score reads [tool.dbt-score] from the working directory up
    if args.parse and not parse_project(args.target_path):
        return 2

    entries, problems = exceptions.load()
    known = known_rules()
    problems += [
        f"{exceptions.EXCEPTIONS_FILE.name}: unknown rule {entry.rule!r} (known: "
        f"{', '.join(sorted(known))})"
        for entry in entries
        if entry.rule not in known
    ]
    problems += layout.check()

    print("dbt-score (rules: tools/dbt_conventions/rules.py)")
    manifest = args.target_path / "manifest.json"
    status = dbt_score_cli.main(
        ["lint", "--manifest", str(manifest)], prog_name="dbt-score", standalone_mode=False
    )
    if status == 2:  # dbt-score: the manifest is missing or unreadable
        return 2
    problems += [
        f"{exceptions.EXCEPTIONS_FILE.name}: {entry.rule} on {entry.node} excuses nothing "
        "any more: delete it"
        for entry in exceptions.unused(entries)
        if entry.rule in known
    ]
    for problem in problems:
        print(f"convention: {problem}")
    if status or problems:
        print(
            "dbt conventions: FAILED (fix it, or write an exception with its reason in "
            f"{exceptions.EXCEPTIONS_FILE.name})"
        )
        return 1
    print("dbt conventions: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
