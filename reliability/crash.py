"""Kill a loader process at a chosen phase of its dlt pipeline, and say where it died.

dlt works through a pipeline's steps in its working directory
(``DLT_PIPELINES_DIR/<pipeline>``), so the phase a run is in can be read from the
files it keeps there:

==========  ==================================================================
startup     the process runs, no data request has reached the API yet
extract     requests are being made; no normalized package exists yet
normalize   a package is being written to ``load/new/<load_id>``
load        a package waits or is being loaded from ``load/normalized/<load_id>``
report      the data package is loaded; the load report is being written
==========  ==================================================================

:func:`kill_at` starts ``loaders run`` in a forked child (the parent has imported dlt
already, so the child starts in milliseconds), watches the files, and sends SIGKILL
once the target phase is seen plus a random delay. The child is the real loader
entry point (:func:`loaders.cli.main`), not a stand-in.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PHASES = ("startup", "extract", "normalize", "load", "report")


@dataclass(frozen=True)
class KillResult:
    """What one kill trial did.

    Attributes:
        target: The phase the trial aimed at.
        phase: The phase the process was in when killed (``completed`` if it finished
            first, with ``exit_code`` set).
        seconds: Time from start to kill or exit.
        exit_code: The child's exit code when it was not killed.

    """

    target: str
    phase: str
    seconds: float
    exit_code: int | None = None

    @property
    def killed(self) -> bool:
        """The process was killed (it did not finish first)."""
        return self.phase != "completed"


def _packages(folder: Path) -> bool:
    """Whether ``folder`` holds at least one load package directory."""
    try:
        return any(entry.is_dir() for entry in folder.iterdir())
    except FileNotFoundError:
        return False


def file_phase(pipelines_dir: Path, pipeline: str) -> str | None:
    """``normalize`` or ``load`` when a package of ``pipeline`` is in that step, else None."""
    root = pipelines_dir / pipeline / "load"
    if _packages(root / "normalized"):
        return "load"
    if _packages(root / "new"):
        return "normalize"
    return None


def _child(argv: list[str], env: dict[str, str], log: str) -> None:
    """Forked child: run the loader CLI with ``env``, output to ``log``."""
    os.environ.update(env)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    from loaders.cli import main

    code = 1
    try:
        code = main(argv)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_loader_forked(
    argv: list[str], env: dict[str, str], log: Path
) -> multiprocessing.context.ForkProcess:
    """Start ``loaders <argv>`` in a forked child writing its output to ``log``."""
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_child, args=(argv, env, str(log)), daemon=True)
    process.start()
    return process


def kill_at(
    argv: list[str],
    env: dict[str, str],
    pipeline: str,
    target: str,
    rng: random.Random,
    data_requests: Callable[[], int],
    log: Path,
    max_delay: float = 0.3,
    timeout: float = 300.0,
) -> KillResult:
    """Run the loaders and SIGKILL them in phase ``target`` of ``pipeline``.

    Args:
        argv: Arguments of ``loaders`` (``["run", "--source", ...]``).
        env: Environment of the loader (``DLT_PIPELINES_DIR``, API settings, ...).
        pipeline: The dlt pipeline whose phases are watched (the source's system).
        target: One of :data:`PHASES`.
        rng: Draws the delay between seeing the phase and killing.
        data_requests: The API's count of data requests so far (``/_sandbox/stats``),
            to tell ``startup`` from ``extract``.
        log: File the child's stdout and stderr go to.
        max_delay: Upper bound of the random delay, in seconds.
        timeout: Give up (kill anyway) after this long.

    """
    if target not in PHASES:
        raise ValueError(f"unknown phase {target!r}; use {PHASES}")
    pipelines_dir = Path(env["DLT_PIPELINES_DIR"])
    requests_before = data_requests()
    began = time.monotonic()
    process = run_loader_forked(argv, env, log)
    seen: list[str] = ["startup"]
    kill_after: float | None = None
    polled_at, requests_now = 0.0, requests_before
    while process.is_alive():
        now = time.monotonic()
        phase = file_phase(pipelines_dir, pipeline)
        if phase is None and seen[-1] in ("startup", "report") and now - polled_at > 0.025:
            polled_at, requests_now = now, data_requests()  # an HTTP call: not every loop
        if phase is None:
            if seen[-1] in ("normalize", "load"):
                phase = "report"
            elif seen[-1] in ("startup", "report") and requests_now > requests_before:
                # a run that first finished a killed run's package extracts after it
                phase = "extract"
            else:
                phase = seen[-1]
        if phase != seen[-1]:
            seen.append(phase)
            if phase == "report":
                requests_before = requests_now = data_requests()
        if kill_after is None and phase == target:
            kill_after = now + rng.uniform(0, max_delay)
        if (kill_after is not None and now >= kill_after) or now - began > timeout:
            assert process.pid is not None
            os.kill(process.pid, signal.SIGKILL)
            process.join()
            return KillResult(target, phase, now - began)
        time.sleep(0.004)
    process.join()
    return KillResult(target, "completed", time.monotonic() - began, process.exitcode)
