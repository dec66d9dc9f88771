"""Written-down exceptions to the dbt conventions (``conventions_exceptions.yml``).

An exception names one rule and one node (a model name, ``<source>.<table>`` for a
source table, or a folder under ``models/`` for the layout check) and says why the
convention does not apply. The rules consult :func:`is_excepted` only once they have
found a violation, and record it, so the check can also fail on an exception that no
longer excuses anything (:func:`unused`): the file never drifts from the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXCEPTIONS_FILE = ROOT / "conventions_exceptions.yml"
MIN_REASON_WORDS = 4


@dataclass(frozen=True)
class ConventionException:
    """One excused (rule, node) pair."""

    rule: str
    node: str
    reason: str


_used: set[tuple[str, str]] = set()


def load(path: Path | None = None) -> tuple[list[ConventionException], list[str]]:
    """The exceptions of ``path`` (the project's file) and the problems with the file."""
    path = path or EXCEPTIONS_FILE
    if not path.exists():
        return [], []
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        return [], [f"{path.name}: invalid YAML: {str(error).splitlines()[0]}"]
    entries = (data.get("exceptions") or []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [f"{path.name}: expected a mapping with an `exceptions:` list"]
    found: list[ConventionException] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}: exception {number}"
        if not isinstance(entry, dict) or set(entry) != {"rule", "node", "reason"}:
            problems.append(f"{where}: needs exactly the keys rule, node and reason")
            continue
        rule, node, reason = (str(entry[key] or "").strip() for key in ("rule", "node", "reason"))
        if not rule or not node:
            problems.append(f"{where}: rule and node must not be empty")
            continue
        if len(reason.split()) < MIN_REASON_WORDS:
            problems.append(f"{where} ({rule} on {node}): write down why, in a sentence")
            continue
        if (rule, node) in seen:
            problems.append(f"{where}: {rule} on {node} is listed twice")
            continue
        seen.add((rule, node))
        found.append(ConventionException(rule, node, reason))
    return found, problems


_cached_load = cache(load)


def is_excepted(rule: str, node: str) -> bool:
    """Whether a violation of ``rule`` by ``node`` is excused; records the use."""
    entries, _ = _cached_load(EXCEPTIONS_FILE)
    if any(entry.rule == rule and entry.node == node for entry in entries):
        _used.add((rule, node))
        return True
    return False


def unused(entries: list[ConventionException]) -> list[ConventionException]:
    """Exceptions no violation needed during this run."""
    return [entry for entry in entries if (entry.rule, entry.node) not in _used]
