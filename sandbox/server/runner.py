"""Run the three sandbox APIs as real HTTP servers on loopback, one process each.

The parent binds the sockets (port 0 picks a free port), forks one uvicorn process
per API and shares the simulated clock with them through a ``multiprocessing.Value``.
When every API answers its health check, the parent writes a state file with the
base URLs, which the CLI, the Makefile and the test fixtures read.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import multiprocessing
import os
import signal
import socket
import sys
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

API_MODULES = {
    "webphone": "sandbox.webphone.api",
    "bynder": "sandbox.bynder.api",
    "workfront": "sandbox.workfront.api",
}
SYSTEMS = tuple(API_MODULES)


def _serve_one(system: str, settings_json: str, fd: int, clock: Any) -> None:
    """Child process: build the world and serve one API on an inherited socket."""
    import uvicorn

    from sandbox.server.common import Sandbox
    from sandbox.settings import SandboxSettings
    from sandbox.world import World

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us with SIGTERM
    settings = SandboxSettings.from_json(settings_json)
    world = World(settings, clock=lambda: int(clock.value))

    def set_clock(value: int) -> None:
        clock.value = int(value)

    world.shared_clock_set = set_clock  # type: ignore[attr-defined]
    # records are many small dicts and lists: keep the collector off the hot path
    gc.freeze()
    gc.set_threshold(200_000, 50, 100)
    module = importlib.import_module(API_MODULES[system])
    sandbox = Sandbox(world, module.policy)
    app = module.build_app(sandbox)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    server.run(sockets=[socket.socket(fileno=fd)])


def _wait_healthy(urls: dict[str, str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    pending = dict(urls)
    while pending:
        for system, url in list(pending.items()):
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(url + "/_sandbox/health", timeout=2) as response,
            ):
                if response.status == 200:
                    pending.pop(system)
        if pending and time.monotonic() > deadline:
            raise RuntimeError(f"sandbox APIs did not start: {sorted(pending)}")
        if pending:
            time.sleep(0.1)


def serve(
    settings: Any,
    host: str = "127.0.0.1",
    ports: dict[str, int] | None = None,
    state_file: Path | None = None,
    systems: Iterable[str] = SYSTEMS,
) -> None:
    """Serve the APIs until SIGINT or SIGTERM; write ``state_file`` once they are up."""
    ctx = multiprocessing.get_context("fork")
    start_ms = int(settings.start_at.timestamp() * 1000)
    clock = ctx.Value("q", start_ms, lock=False)
    children: list[Any] = []
    urls: dict[str, str] = {}
    sockets: list[socket.socket] = []
    for system in systems:
        importlib.import_module(API_MODULES[system])  # fail early, in the parent
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, (ports or {}).get(system, 0)))
        sock.listen(128)
        sock.set_inheritable(True)
        sockets.append(sock)
        urls[system] = f"http://{host}:{sock.getsockname()[1]}"
        child = ctx.Process(
            target=_serve_one,
            args=(system, settings.to_json(), sock.fileno(), clock),
            name=f"sandbox-{system}",
            daemon=True,
        )
        child.start()
        children.append(child)

    stopping = False

    def stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        _wait_healthy(urls)
        if state_file is not None:
            state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = state_file.with_suffix(".tmp")
            from sandbox.handle import source_environment

            # the loaders read their settings from here (URLs and the sandbox's fake
            # credentials) without importing the sandbox: `loaders run --sandbox-state`
            state = {**urls, "pid": os.getpid(), "environment": source_environment(urls)}
            tmp.write_text(json.dumps(state, indent=2))
            tmp.replace(state_file)
        print(json.dumps(urls), flush=True)
        while not stopping:
            if any(not child.is_alive() for child in children):
                print("a sandbox API process died; stopping", file=sys.stderr, flush=True)
                break
            time.sleep(0.2)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
        for child in children:
            child.join(timeout=10)
        if state_file is not None:
            with contextlib.suppress(FileNotFoundError):
                state_file.unlink()
