"""What every benchmark stage shares: a workspace, timed subprocesses, row counts."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import psutil

from sandbox.handle import ROOT, SandboxHandle, source_environment, start_sandbox

#: ``webphone: 1234 rows in 5.6s (...)``: the loaders CLI's summary line per source
_SOURCE_LINE = re.compile(r"^(\w+): (\d+) rows in ([\d.]+)s", re.MULTILINE)


@dataclass
class Timed:
    """A finished subprocess: wall time, peak resident memory, exit status, output."""

    seconds: float
    peak_rss_mib: float
    returncode: int
    output: str

    def check(self, what: str) -> Timed:
        """Raise with the output's tail when the process failed."""
        if self.returncode != 0:
            raise RuntimeError(f"{what} exited {self.returncode}:\n{self.output[-4000:]}")
        return self


def _tree_rss(process: psutil.Process) -> int:
    """Resident bytes of ``process`` and all its descendants (0 once it is gone)."""
    total = 0
    try:
        for member in [process, *process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += member.memory_info().rss
    except psutil.Error:
        return 0
    return total


def run_timed(command: list[str], env: dict[str, str]) -> Timed:
    """Run ``command`` from the project root; time it and track its peak memory.

    The peak is the largest sum of resident memory over the process and its children
    (dlt's normalize workers), sampled every 100 ms.
    """
    with tempfile.TemporaryFile("w+") as log:
        began = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        watched = psutil.Process(process.pid)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(watched))
            time.sleep(0.1)
        seconds = time.perf_counter() - began
        log.seek(0)
        output = log.read()
    return Timed(seconds, peak / 2**20, process.returncode, output)


@dataclass
class Workspace:
    """One benchmark stage's warehouse, dlt state and dbt outputs, under ``folder``."""

    folder: Path
    sandbox: SandboxHandle | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def duckdb_path(self) -> Path:
        """The stage's DuckDB file."""
        return self.folder / "warehouse.duckdb"

    def start(self, *sandbox_args: str) -> None:
        """Empty the folder, start a sandbox with ``sandbox_args``, set the environment."""
        if self.folder.exists():
            subprocess.run(["rm", "-rf", str(self.folder)], check=True)
        self.folder.mkdir(parents=True)
        self.sandbox = start_sandbox(self.folder / "sandbox", "--no-rate-limits", *sandbox_args)
        self.env = {
            **source_environment(self.sandbox.urls),
            "DUCKDB_PATH": str(self.duckdb_path),
            "DLT_PIPELINES_DIR": str(self.folder / "dlt"),
            "DBT_TARGET_PATH": str(self.folder / "target"),
            "DBT_LOG_PATH": str(self.folder / "logs"),
            "DBT_PROFILES_DIR": str(ROOT),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "RUNTIME__DLTHUB_TELEMETRY": "false",
        }

    def stop(self) -> None:
        """Stop the stage's sandbox."""
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None

    def load(self, *args: str) -> Timed:
        """``loaders run`` of every source, timed."""
        command = [sys.executable, "-m", "loaders", "run", "--progress", "none", *args]
        return run_timed(command, self.env).check("loaders run")

    def source_floor(self) -> tuple[Timed, dict[str, Any]]:
        """Every page of the loaders' listings fetched bare (:mod:`bench.source_floor`).

        Timed as the loaders are (a process from its start); the figures it prints
        (pages, bytes and records per source) beside it.
        """
        command = [sys.executable, "-m", "bench.source_floor"]
        timed = run_timed(command, self.env).check("source floor")
        return timed, json.loads(timed.output.strip().splitlines()[-1])

    def dbt(self, *args: str) -> Timed:
        """A dbt command, timed."""
        return run_timed([str(Path(sys.executable).with_name("dbt")), *args], self.env).check(
            "dbt " + " ".join(args)
        )

    def raw_rows(self) -> dict[str, int]:
        """Rows of every raw table, by ``schema.table`` (dlt's own and merge staging out)."""
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            tables = con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema like 'raw\\_%' escape '\\' "
                "and table_schema not like '%\\_staging' escape '\\' "
                "and table_name not like '\\_dlt%' escape '\\' order by 1, 2"
            ).fetchall()
            return {
                f"{schema}.{table}": int(
                    con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
                )
                for schema, table in tables
            }


def source_figures(loader_output: str) -> dict[str, tuple[int, float]]:
    """Rows delivered and seconds per source, from the loaders CLI's summary lines."""
    found = _SOURCE_LINE.findall(loader_output)
    return {name: (int(rows), float(secs)) for name, rows, secs in found}
