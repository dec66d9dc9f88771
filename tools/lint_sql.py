"""sqlfluff over the dbt project, in the DuckDB and the Snowflake dialect.

The dbt templater compiles each model before linting it, so the linter sees the SQL
dbt runs. Compiling needs no data: this script points dbt at a new, empty DuckDB
file in a temporary directory (staging macros then read every mapped field, see
``present_raw_columns``), and at a copy of ``profiles.yml.example``, so the result
never depends on a developer's warehouse or profile.

* ``--dialect duckdb`` (default): ``.sqlfluff`` as written, target ``duckdb``.
* ``--dialect snowflake``: the same rules with ``dialect = snowflake``, compiled for
  the ``snowflake_emulator`` target against a fakesnow server this script starts on
  loopback. Every ``adapter.dispatch`` macro then renders its ``snowflake__``
  variant, so the linted SQL is the SQL production Snowflake runs (relation names
  aside); no DuckDB-only syntax is left to exclude.

Usage:
    python tools/lint_sql.py [--dialect duckdb|snowflake] [--processes N] [PATH ...]

Without paths it lints ``models``, ``snapshots`` and ``tests`` (``.sqlfluffignore``
applies); pre-commit passes the changed files instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_PATHS = ["models", "snapshots", "tests"]
TARGETS = {"duckdb": "duckdb", "snowflake": "snowflake_emulator"}


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def fakesnow_server(workdir: Path) -> Iterator[int]:
    """A fakesnow server on a free loopback port for the duration of the block."""
    port = free_port()
    log = (workdir / "fakesnow.log").open("wb")
    command = [str(BIN / "fakesnow"), "-s", "--host", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError((workdir / "fakesnow.log").read_text())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("fakesnow did not start within 60 s") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def lint(dialect: str, paths: list[str], processes: int) -> int:
    """Run ``sqlfluff lint`` on ``paths``; return its exit status."""
    with tempfile.TemporaryDirectory(prefix=f"lint-sql-{dialect}-") as tmp:
        workdir = Path(tmp)
        shutil.copy(ROOT / "profiles.yml.example", workdir / "profiles.yml")
        override = workdir / "sqlfluff.cfg"
        override.write_text(
            f"[sqlfluff]\ndialect = {dialect}\n\n"
            f"[sqlfluff:templater:dbt]\nprofiles_dir = {workdir}\n"
            f"target = {TARGETS[dialect]}\ntarget_path = {workdir / 'target'}\n"
        )
        env = {
            **os.environ,
            "DUCKDB_PATH": str(workdir / "empty.duckdb"),
            "DBT_TARGET_PATH": str(workdir / "target"),
            "DBT_LOG_PATH": str(workdir / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        env.pop("DBT_TARGET", None)
        command = [
            str(BIN / "sqlfluff"),
            "lint",
            "--config",
            str(override),
            "--processes",
            str(processes),
            *paths,
        ]
        print(f"sqlfluff lint, dialect {dialect} (dbt target {TARGETS[dialect]})", flush=True)
        if dialect == "snowflake":
            with fakesnow_server(workdir) as port:
                env |= {"FAKESNOW_HOST": "127.0.0.1", "FAKESNOW_PORT": str(port)}
                return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
        return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    """Lint in the requested dialect."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialect", choices=sorted(TARGETS), default="duckdb")
    parser.add_argument(
        "--processes", type=int, default=0, help="sqlfluff processes (default 0: one per CPU)"
    )
    parser.add_argument("paths", nargs="*", help="files or folders (default: all SQL)")
    args = parser.parse_args(argv)
    return lint(args.dialect, args.paths or DEFAULT_PATHS, args.processes)


if __name__ == "__main__":
    sys.exit(main())
