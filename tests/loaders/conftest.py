"""Fixtures of the loader tests: the loaders run in this process, against a sandbox."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import SandboxHandle, loader_env


@pytest.fixture()
def env(tmp_path: Path) -> Iterator[Callable[..., dict[str, str]]]:
    """Point the in-process loaders at one sandbox for one test (environment restored)."""
    saved = dict(os.environ)

    def apply(handle: SandboxHandle, **overrides: str) -> dict[str, str]:
        values = loader_env(handle, tmp_path, **overrides)
        os.environ.update(values)
        return values

    yield apply
    os.environ.clear()
    os.environ.update(saved)
