"""Where the loaders' memory goes, per dlt step (issue 15: the Arrow pages' regression).

Run (from the project root)::

    .venv/bin/python -m bench.experiments.loader_memory --scale 0.1 --source bynder

It starts a sandbox (``--scale``, one day of history, no rate limits), then runs
``loaders run --source <source>`` (``all``: the three source processes, as the bench)
with each dlt step of each source process marked: a thread in the process reads its
resident memory (``VmRSS``, split into anonymous and file-backed pages) and pyarrow's
allocated bytes every 50 ms and keeps the peak of each step (``sync``, ``extract``,
``normalize``, ``load``). The parent samples the process tree every 100 ms as
``bench.harness.run_timed`` does. Environment variables given with ``--env KEY=VALUE``
reach the loaders (to compare settings). Prints one JSON object: wall seconds, the
tree's peak, and per source process the seconds and peaks of each step, plus the
row groups of the extract's and the load's parquet files (the largest file's).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MODULE = "bench.experiments.loader_memory"


# ------------------------------------------------------------------ child: the loaders
def _status() -> dict[str, int]:
    """``VmRSS``, ``RssAnon``, ``RssFile`` of this process, in bytes."""
    wanted = {"VmRSS", "RssAnon", "RssFile"}
    out: dict[str, int] = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in wanted:
                out[key] = int(value.split()[0]) * 1024
    return out


class StepMemory:
    """Peaks of this process's memory per dlt step, written to ``<folder>/<pid>.json``."""

    def __init__(self, folder: Path) -> None:
        """Start the sampling thread."""
        import pyarrow as pa

        self._pa = pa
        self.folder = folder
        self.step = "start"
        self.steps: dict[str, dict[str, float]] = {}
        self.system = ""
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            figures = _status()
            figures["arrow"] = self._pa.total_allocated_bytes()
            peaks = self.steps.setdefault(self.step, {})
            for key, value in figures.items():
                peaks[key] = max(peaks.get(key, 0), value / 2**20)
            time.sleep(0.05)

    def wrap(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        """``method`` of dlt's Pipeline, its step marked ``name``."""

        def marked(pipeline: Any, *args: Any, **kwargs: Any) -> Any:
            self.system = self.system or pipeline.pipeline_name  # then load_reports
            previous, self.step = self.step, name
            self.mark()
            began = time.perf_counter()
            try:
                return method(pipeline, *args, **kwargs)
            finally:
                seconds = self.steps.setdefault(name, {})
                seconds["seconds"] = seconds.get("seconds", 0) + time.perf_counter() - began
                self.step = previous
                self.mark()
                self.write()

        return marked

    def mark(self) -> None:
        """The current step, for the parent's samples of the tree."""
        (self.folder / f"{os.getpid()}.step").write_text(f"{self.system} {self.step}")

    def write(self) -> None:
        """Write the figures of this process so far."""
        path = self.folder / f"{os.getpid()}.json"
        path.write_text(json.dumps({"system": self.system, "steps": self.steps}))


def run_loaders(argv: list[str], folder: Path) -> int:
    """``loaders`` with dlt's steps marked in every process it forks."""
    from dlt.pipeline.pipeline import Pipeline

    from loaders import cli

    per_pid: dict[int, StepMemory] = {}

    def memory() -> StepMemory:
        if os.getpid() not in per_pid:  # a forked source process: a thread of its own
            per_pid[os.getpid()] = StepMemory(folder)
        return per_pid[os.getpid()]

    for name, attr in [
        ("sync", "sync_destination"),
        ("extract", "extract"),
        ("normalize", "normalize"),
        ("load", "load"),
    ]:
        original = getattr(Pipeline, attr)

        def step(pipeline: Any, *a: Any, _n: str = name, _o: Any = original, **k: Any) -> Any:
            return memory().wrap(_n, _o)(pipeline, *a, **k)

        setattr(Pipeline, attr, step)
    return cli.main(argv)


# ------------------------------------------------------------------ parent
def parquet_row_groups(folder: Path) -> dict[str, Any]:
    """Row groups of the largest parquet file under ``folder`` (none: empty)."""
    import pyarrow.parquet as pq

    files = sorted(folder.rglob("*.parquet"), key=lambda p: p.stat().st_size)
    if not files:
        return {}
    meta = pq.ParquetFile(files[-1]).metadata
    return {
        "file": str(files[-1].relative_to(folder)),
        "rows": meta.num_rows,
        "row_groups": meta.num_row_groups,
        "columns": meta.num_columns,
        "mib": files[-1].stat().st_size / 2**20,
    }


def run_sampled(command: list[str], env: dict[str, str], steps: Path) -> dict[str, Any]:
    """Run ``command``; the tree's peak and, at that moment, each process's RSS and step."""
    import psutil

    from bench.harness import run_timed

    peak: dict[str, Any] = {"mib": 0}

    def sample(watched: psutil.Process, elapsed: float) -> None:
        members: dict[str, float] = {}
        pss = 0.0
        try:
            for member in [watched, *watched.children(recursive=True)]:
                try:
                    rss = member.memory_info().rss / 2**20
                    # shared pages (the forked parent's) once, shared between sharers
                    pss += member.memory_full_info().pss / 2**20
                except psutil.Error:
                    continue
                step_file = steps / f"{member.pid}.step"
                step = step_file.read_text() if step_file.exists() else "parent"
                members[f"{member.pid} {step}"] = round(rss)
        except psutil.Error:
            pass
        total = sum(members.values())
        if total > peak["mib"]:
            peak.update(mib=round(total), at=round(elapsed, 1), members=members)
            peak["pss_mib"] = round(pss)
        peak["pss_peak_mib"] = max(peak.get("pss_peak_mib", 0), round(pss))

    timed = run_timed(command, env, sample)
    (steps / "output.log").write_text(timed.output)
    if timed.returncode:
        raise RuntimeError(timed.output[-4000:])
    return {"seconds": timed.seconds, "peak": peak, "output": timed.output}


def run(scale: float, source: str, env_extra: dict[str, str], workdir: Path) -> dict[str, Any]:
    """Sandbox at ``scale``, then the loaders with their steps measured."""
    from sandbox.handle import source_environment, start_sandbox

    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "steps").mkdir(parents=True)
    sandbox = start_sandbox(
        workdir / "sandbox",
        "--no-rate-limits",
        *("--scale", str(scale), "--history-days", "1", "--seed", "42"),
    )
    env = {
        **source_environment(sandbox.urls),
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        "DUCKDB_PATH": str(workdir / "warehouse.duckdb"),
        "DLT_PIPELINES_DIR": str(workdir / "dlt"),
        # keep the files to read their row groups
        "LOAD__DELETE_COMPLETED_JOBS": "false",
        **env_extra,
    }
    try:
        command = [sys.executable, "-m", MODULE, "--child", str(workdir / "steps")]
        command += ["run", "--progress", "none", "--source", source]
        timed = run_sampled(command, env, workdir / "steps")
    finally:
        sandbox.stop()
    processes = [json.loads(p.read_text()) for p in sorted((workdir / "steps").glob("*.json"))]
    return {
        "scale": scale,
        "source": source,
        "env": env_extra,
        "wall_seconds": round(timed["seconds"], 1),
        "tree_peak": timed["peak"],
        "summary": [line for line in timed["output"].splitlines() if " rows in " in line],
        "processes": [
            {
                "system": p["system"],
                "steps": {
                    step: {k: round(v, 1) for k, v in figures.items()}
                    for step, figures in p["steps"].items()
                },
            }
            for p in processes
        ],
        "load_file": parquet_row_groups(workdir / "dlt"),
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point: the experiment, or (internal) the loaders with their steps marked."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return run_loaders(argv[2:], Path(argv[1]))
    if argv and argv[0] == "--replay":  # --replay RUN_DIR SYSTEM COPIES OUT
        run_dir, system, copies, out = Path(argv[1]), argv[2], int(argv[3]), Path(argv[4])
        stage_replay(run_dir, system, copies, out / "dlt")
        (out / "steps").mkdir(exist_ok=True)
        env = {
            "DUCKDB_PATH": str(out / "warehouse.duckdb"),
            **dict(a.split("=", 1) for a in argv[5:]),
        }
        command = [sys.executable, "-m", MODULE, "--replay-child", str(out / "dlt"), system]
        command.append(str(out / "steps"))
        timed = run_sampled(command, env, out / "steps")
        figures = [json.loads(p.read_text()) for p in (out / "steps").glob("*.json")]
        print(
            json.dumps(
                {"seconds": round(timed["seconds"], 1), "peak": timed["peak"], "steps": figures}
            )
        )
        return 0
    if argv and argv[0] == "--replay-child":
        replay_load(Path(argv[1]), argv[2], Path(argv[3]))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--source", default="bynder")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the loaders")
    parser.add_argument("--workdir", type=Path, default=Path("data/bench/loader_memory"))
    args = parser.parse_args(argv)
    env_extra = dict(item.split("=", 1) for item in args.env)
    print(json.dumps(run(args.scale, args.source, env_extra, args.workdir.resolve()), indent=1))
    return 0


# ------------------------------------------------------------------ replay of a load
def stage_replay(run_dir: Path, system: str, copies: int, out: Path) -> None:
    """A copy of ``run_dir``'s pipeline whose loaded package is pending again.

    The run must have kept its files (``LOAD__DELETE_COMPLETED_JOBS=false``, as
    :func:`run` sets). Each table's parquet files are written ``copies`` times, the
    copies' primary keys suffixed (``-1``, ``-2``, ...) so the merge sees distinct
    records: the load step of a day ``copies`` times as large, without its extract.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(run_dir / "dlt" / system, out / system)
    loaded = out / system / "load" / "loaded"
    (package,) = list(loaded.iterdir())
    target = out / system / "load" / "normalized" / package.name
    target.parent.mkdir(parents=True, exist_ok=True)
    package.rename(target)
    (target / "package_completed.json").unlink(missing_ok=True)
    # the schema update the destination applied: to be applied again to a new warehouse
    (target / "applied_schema_updates.json").rename(target / "schema_updates.json")
    for job in (target / "completed_jobs").iterdir():
        if job.suffix == ".sql":
            job.unlink()  # the merge: the load writes it again
            continue
        table, file_id, retry, ext = job.name.split(".")
        job.rename(target / "new_jobs" / job.name)
        if ext != "parquet" or copies < 2:
            continue
        data = pq.read_table(target / "new_jobs" / job.name)
        if "id" not in data.column_names or not data.num_rows:
            continue
        meta = pq.ParquetFile(target / "new_jobs" / job.name).metadata
        for copy in range(1, copies):
            ids = pc.binary_join_element_wise(
                data["id"].cast(pa.string()), pa.scalar(f"-{copy}"), ""
            ).cast(data.schema.field("id").type)
            moved = data.set_column(data.schema.get_field_index("id"), "id", ids)
            name = f"{table}.{file_id[:-2]}{copy:02d}.{retry}.{ext}"
            pq.write_table(
                moved, target / "new_jobs" / name, row_group_size=meta.row_group(0).num_rows
            )


def replay_load(pipelines: Path, system: str, folder: Path) -> None:
    """Load the pending package of ``system`` under ``pipelines``, its memory measured."""
    from dlt.pipeline.pipeline import Pipeline

    from loaders import pipeline
    from loaders.pipeline import _load, make_pipeline

    if "REPLAY_LOAD_WORKERS" in os.environ:  # to compare load jobs at a time
        pipeline.DUCKDB_LOAD_WORKERS = int(os.environ["REPLAY_LOAD_WORKERS"])
    if "REPLAY_DUCKDB_CONFIG" in os.environ:  # more DuckDB settings, as JSON
        import dlt
        from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

        from loaders.settings import duckdb_path, loader_duckdb_memory_limit

        extra = json.loads(os.environ["REPLAY_DUCKDB_CONFIG"])
        config = {
            "memory_limit": loader_duckdb_memory_limit(system),
            "preserve_insertion_order": False,
        }
        credentials = DuckDbCredentials(str(duckdb_path()), global_config={**config, **extra})

        def with_extra(name: str, system: str | None = None) -> Any:
            return dlt.destinations.duckdb(credentials=credentials)

        pipeline.destination = with_extra
    memory = StepMemory(folder)
    Pipeline.load = memory.wrap("load", Pipeline.load)  # type: ignore[method-assign]
    os.environ["DLT_PIPELINES_DIR"] = str(pipelines)
    _load(make_pipeline(system), "duckdb")


if __name__ == "__main__":
    sys.exit(main())
