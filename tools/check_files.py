"""File hygiene: the checks of pre-commit-hooks, without fetching them from GitHub.

* every ``.yml``/``.yaml`` file parses (``check-yaml``);
* text files end with exactly one newline (``end-of-file-fixer``);
* no trailing whitespace (``trailing-whitespace``; Markdown hard breaks excepted);
* no merge-conflict markers (``check-merge-conflict``).

Usage:
    python tools/check_files.py [--fix] [FILE ...]
    python tools/check_files.py --list      # the project's files, one a line

Without files, checks every file git tracks or would track (untracked, not ignored).
``--fix`` rewrites whitespace problems in place (and still exits 1, as pre-commit's
fixers do, so the fixed files get reviewed and staged).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
YAML_SUFFIXES = {".yml", ".yaml"}
#: Files whose bytes are data, not text we format.
SKIP_SUFFIXES = {".duckdb", ".parquet", ".png", ".jpg", ".gif", ".ico", ".gz", ".zip", ".lock"}
CONFLICT = re.compile(rb"^(<<<<<<< |=======$|>>>>>>> )", re.MULTILINE)


class _Loader(yaml.SafeLoader):
    """Safe loader that accepts any tag (dbt and pre-commit YAML use none, others may)."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def project_files() -> list[Path]:
    """Files git tracks or would track, relative to the root (all files without git)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "target", "logs", "data", "dbt_packages", "node_modules"}
        return sorted(
            path.relative_to(ROOT)
            for path in ROOT.rglob("*")
            if path.is_file() and not skip & set(path.relative_to(ROOT).parts)
        )
    return sorted({Path(name) for name in listed.decode().split("\0") if name})


def problems_of(path: Path, fix: bool) -> list[str]:
    """What is wrong with one file (after fixing it, if ``fix``)."""
    if path.suffix in SKIP_SUFFIXES or not path.is_file():
        return []
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return []  # binary
    problems = []
    if CONFLICT.search(data):
        problems.append("merge-conflict marker")
    if path.suffix in YAML_SUFFIXES:
        try:
            list(yaml.load_all(data, Loader=_Loader))
        except yaml.YAMLError as error:
            problems.append(f"invalid YAML: {str(error).splitlines()[0]}")
    keep_breaks = path.suffix == ".md"
    lines = data.split(b"\n")
    fixed_lines = []
    for number, line in enumerate(lines, start=1):
        body = line.rstrip(b"\r")
        stripped = body.rstrip(b" \t")
        if stripped != body and not (keep_breaks and body.endswith(b"  ") and stripped):
            problems.append(f"line {number}: trailing whitespace")
            body = stripped
        fixed_lines.append(body + line[len(line.rstrip(b"\r")) :])
    fixed = b"\n".join(fixed_lines)
    if fixed and not fixed.endswith(b"\n"):
        problems.append("no newline at end of file")
        fixed += b"\n"
    elif fixed.endswith(b"\n\n"):
        problems.append("blank lines at end of file")
        fixed = fixed.rstrip(b"\n") + b"\n"
    if fix and fixed != data:
        path.write_bytes(fixed)
    return problems


def main(argv: list[str] | None = None) -> int:
    """Check (or fix) the given files, or every project file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="fix whitespace in place")
    parser.add_argument("--list", action="store_true", help="print the project's files")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(str(name) for name in project_files() if (ROOT / name).exists()))
        return 0
    files = args.files or [ROOT / name for name in project_files()]
    failed = 0
    for path in files:
        for problem in problems_of(path, args.fix):
            print(f"{path}: {problem}")
            failed = 1
    if failed and args.fix:
        print("whitespace fixed in place: review and stage the files")
    return failed


if __name__ == "__main__":
    sys.exit(main())
