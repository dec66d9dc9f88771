"""One YAML per folder: a file-tree check dbt-score cannot make from the manifest.

Every folder under ``models/`` that holds models has exactly one properties file,
``_<folder>__models.yml``; a staging source folder also has ``_<source>__sources.yml``;
doc blocks go in ``_<folder>__docs.md``; exposures may sit in one
``_<name>__exposures.yml`` in any folder. No other YAML (no per-model files), and no
properties file in a folder without models. The node of an exception is the folder, relative to
the project root (``models/marts/shared``).
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.dbt_conventions.exceptions import ROOT, is_excepted

RULE = "one_yaml_per_folder"
MODEL_SUFFIXES = {".sql", ".py"}
YAML_SUFFIXES = {".yml", ".yaml"}


def folder_problems(folder: Path, root: Path = ROOT) -> list[str]:
    """What breaks the convention in one folder (files directly in it)."""
    files = [path for path in folder.iterdir() if path.is_file()]
    has_models = any(path.suffix in MODEL_SUFFIXES for path in files)
    yamls = sorted(path.name for path in files if path.suffix in YAML_SUFFIXES)
    relative = folder.relative_to(root).as_posix()
    parts = folder.relative_to(root / "models").parts
    is_staging_source = len(parts) == 2 and parts[0] == "staging"
    exposures = [name for name in yamls if re.fullmatch(r"_[a-z0-9_]+__exposures\.ya?ml", name)]
    problems = []
    if len(exposures) > 1:
        problems.append(f"{relative}/: one exposures file per folder: {', '.join(exposures)}")
    yamls = [name for name in yamls if name not in exposures]
    if not has_models:
        if yamls:
            problems.append(f"{relative}/: YAML in a folder without models: {', '.join(yamls)}")
        return problems
    models_files = [name for name in yamls if re.fullmatch(r"_[a-z0-9_]+__models\.ya?ml", name)]
    sources_files = [name for name in yamls if re.fullmatch(r"_[a-z0-9_]+__sources\.ya?ml", name)]
    if len(models_files) != 1:
        found = ", ".join(models_files) or "none"
        problems.append(f"{relative}/: needs one _{folder.name}__models.yml (found: {found})")
    if len(sources_files) > 1 or (sources_files and not is_staging_source):
        problems.append(
            f"{relative}/: sources are declared once, in models/staging/<source>/"
            f"_<source>__sources.yml (found: {', '.join(sources_files)})"
        )
    others = sorted(set(yamls) - set(models_files) - set(sources_files))
    if others:
        problems.append(
            f"{relative}/: {', '.join(others)}: one properties file per folder, "
            "not one per model (move the entries to the folder's _<folder>__models.yml)"
        )
    return problems


def check(root: Path = ROOT) -> list[str]:
    """Problems in every folder of ``models/``, minus written-down exceptions."""
    problems: list[str] = []
    models = root / "models"
    for folder in sorted([models, *(p for p in models.rglob("*") if p.is_dir())]):
        found = folder_problems(folder, root)
        if found and not is_excepted(RULE, folder.relative_to(root).as_posix()):
            problems += found
    return problems
