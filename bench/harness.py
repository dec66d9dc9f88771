"""What every benchmark stage shares: a workspace, timed subprocesses, row counts."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
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
    """A finished subprocess: wall time, peak resident memory, exit status, output.

    ``started_at`` is the wall clock (epoch seconds) at its start, to place the events
    it logged. ``cpu_seconds`` is the processor time (user and system) of the process
    and of every descendant it waited for (dlt's workers, DuckDB's threads): beside
    the wall time, how much of the machine's cores the command kept busy.
    """

    seconds: float
    peak_rss_mib: float
    returncode: int
    output: str
    started_at: float = 0.0
    cpu_seconds: float = 0.0

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


def _children_cpu_seconds() -> float:
    """Processor time of this process's children that have been waited for, so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_cpu_seconds(process: psutil.Process) -> float:
    """Processor time (user and system) so far of ``process`` and its live descendants.

    For a long-running tree such as the sandbox's API processes, read before and after
    a window: the difference is what the tree spent in it.
    """
    total = 0.0
    with contextlib.suppress(psutil.Error):
        for member in [process, *process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                times = member.cpu_times()
                total += times.user + times.system
    return total


def run_timed(
    command: list[str],
    env: dict[str, str],
    sample: Callable[[psutil.Process, float], None] | None = None,
) -> Timed:
    """Run ``command`` from the project root; time it and track its peak memory.

    The peak is the largest sum of resident memory over the process and its children
    (dlt's normalize workers), sampled every 100 ms. ``sample``, when given, is called
    at each of those moments with the process and the seconds since its start (an
    experiment's own breakdown of the tree). Its processor time is what the kernel
    accounts to the children this process waited for meanwhile (:class:`Timed`).
    """
    with tempfile.TemporaryFile("w+") as log:
        cpu_before = _children_cpu_seconds()
        started_at = time.time()
        began = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        watched = psutil.Process(process.pid)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(watched))
            if sample is not None:
                sample(watched, time.perf_counter() - began)
            time.sleep(0.1)
        seconds = time.perf_counter() - began
        cpu_seconds = _children_cpu_seconds() - cpu_before
        log.seek(0)
        output = log.read()
    return Timed(seconds, peak / 2**20, process.returncode, output, started_at, cpu_seconds)


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

    def sandbox_cpu_seconds(self) -> float:
        """Processor time the stage's sandbox APIs (every process) have spent so far."""
        if self.sandbox is None:
            return 0.0
        return tree_cpu_seconds(psutil.Process(self.sandbox.process.pid))

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

    def dbt(self, *args: str, env: Mapping[str, str] | None = None) -> Timed:
        """A dbt command, timed; ``env`` adds to (or overrides) the stage's environment."""
        command = [str(Path(sys.executable).with_name("dbt")), *args]
        return run_timed(command, {**self.env, **(env or {})}).check("dbt " + " ".join(args))

    def dbt_with_startup(self, *args: str) -> tuple[Timed, DbtStartup]:
        """A dbt command, timed, and its start-up read from the events it logged.

        It logs to a folder of its own (``logs/startup-<n>``): dbt rotates its log
        file every 10 MB, so an invocation's events may span several files, and only
        its own. Neither the log's folder nor its format is part of what decides a full
        re-parse.
        """
        logs = self.folder / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        folder = logs / f"startup-{sum(1 for _ in logs.glob('startup-*'))}"
        command = [str(Path(sys.executable).with_name("dbt")), *args]
        # one JSON event a line, timestamped, for dbt_startup
        env = {**self.env, "DBT_LOG_PATH": str(folder), "DBT_LOG_FORMAT_FILE": "json"}
        timed = run_timed(command, env).check("dbt " + " ".join(args))
        logged = "\n".join(
            path.read_text(errors="replace") for path in sorted(folder.glob("dbt.log*"))
        )
        return timed, dbt_startup(logged, timed.started_at)

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


@dataclass(frozen=True)
class DbtStartup:
    """What one dbt invocation spent before its first node, from its logged events.

    ``seconds``: from the process's start to the node count (``Found 120 models,
    ...``): the interpreter's imports, the project's load and its parse. ``parse_seconds``:
    from dbt's first event (its version) to that count. ``partial_parse``: the saved
    manifest (``target/partial_parse.msgpack``) was reused, not parsed afresh;
    ``reparsed_files``: the files it parsed again all the same (changed, added or
    deleted since, or reading an environment variable whose value changed).
    """

    seconds: float
    parse_seconds: float
    partial_parse: bool
    reparsed_files: int


#: dbt's events that mark its start-up: its version (the first event), the saved
#: manifest reused or refused, the node count (the graph is built; nodes run next)
_STARTUP_EVENTS = (
    "MainReportVersion",
    "PartialParsingEnabled",
    "UnableToPartialParse",
    "FoundStats",
)


def _event_time(ts: str) -> float:
    """Epoch seconds of a dbt event's ``ts`` (``2026-12-03T16:36:16.123456Z``, UTC)."""
    moment = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.replace(tzinfo=datetime.UTC).timestamp()


def dbt_startup(json_log: str, started_at: float) -> DbtStartup:
    """The start-up of the dbt invocation logged in ``json_log`` (one JSON event a line).

    Raises when the log holds no version event or no node count (a log not in JSON,
    or an invocation that stopped before its graph).
    """
    first: dict[str, float] = {}  # the earliest of each event (rotated files: any order)
    reparsed = 0
    for line in json_log.splitlines():
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        name = event.get("info", {}).get("name")
        if name in _STARTUP_EVENTS:
            moment = _event_time(event["info"]["ts"])
            first[name] = min(first.get(name, moment), moment)
        if name == "PartialParsingEnabled":
            data = event.get("data", {})
            reparsed = sum(int(data.get(key, 0)) for key in ("deleted", "added", "changed"))
    if "MainReportVersion" not in first or "FoundStats" not in first:
        raise ValueError("the dbt log holds no version event or no node count")
    return DbtStartup(
        seconds=first["FoundStats"] - started_at,
        parse_seconds=first["FoundStats"] - first["MainReportVersion"],
        partial_parse="PartialParsingEnabled" in first and "UnableToPartialParse" not in first,
        reparsed_files=reparsed,
    )


def slowest_nodes(run_results: Path, count: int = 8) -> dict[str, float]:
    """The ``count`` slowest nodes of a dbt run, ``{unique_id: seconds}``, slowest first.

    Read from the ``run_results.json`` dbt writes in its target folder: where a
    ``dbt build``'s time went (models, snapshots and tests alike).
    """
    results = json.loads(run_results.read_text())["results"]
    timed = sorted(results, key=lambda result: result["execution_time"], reverse=True)
    return {result["unique_id"]: round(result["execution_time"], 2) for result in timed[:count]}


def source_figures(loader_output: str) -> dict[str, tuple[int, float]]:
    """Rows delivered and seconds per source, from the loaders CLI's summary lines."""
    found = _SOURCE_LINE.findall(loader_output)
    return {name: (int(rows), float(secs)) for name, rows, secs in found}
