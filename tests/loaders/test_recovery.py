"""A run killed inside dlt's normalize commit window reruns to a clean result.

dlt's normalize renames the new load package into place, then deletes the extracted
package. A SIGKILL between the two (found by the crash trials in
tests/reliability/test_crashes.py, at random) leaves both behind; the rerun must not
fail on normalizing the extracted copy again, nor load its rows twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest
from dlt.common.storages.load_package import PackageStorage

from loaders.pipeline import drop_committed_extracts

EXTRACTED = "normalize/extracted"


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs."""


def _pipeline(workdir: Path) -> Any:
    return dlt.pipeline(
        pipeline_name="recovery",
        pipelines_dir=str(workdir / "dlt"),
        destination=dlt.destinations.duckdb(str(workdir / "warehouse.duckdb")),
        dataset_name="raw_recovery",
    )


def _killed_after_commit(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    pipeline = _pipeline(workdir)
    pipeline.extract(dlt.resource([{"id": i} for i in range(5)], name="items"))
    real_delete = PackageStorage.delete_package

    def kill_before_deleting_the_extract(self: PackageStorage, load_id: str, **kw: Any) -> None:
        if self.storage.storage_path.rstrip("/").endswith(EXTRACTED):
            raise Killed
        real_delete(self, load_id, **kw)

    monkeypatch.setattr(PackageStorage, "delete_package", kill_before_deleting_the_extract)
    with pytest.raises(Killed):
        pipeline.normalize()
    monkeypatch.setattr(PackageStorage, "delete_package", real_delete)
    return _pipeline(workdir)  # the rerun: a new process attaches to the same folder


def test_the_commit_window_leaves_both_copies_and_normalizing_again_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rerun = _killed_after_commit(tmp_path, monkeypatch)
    assert rerun.list_extracted_load_packages() and rerun.list_normalized_load_packages()
    with pytest.raises(Exception, match=r"Directory not empty|exists"):
        rerun.normalize()


def test_a_rerun_drops_the_committed_extract_and_loads_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rerun = _killed_after_commit(tmp_path, monkeypatch)
    (load_id,) = rerun.list_normalized_load_packages()
    assert drop_committed_extracts(rerun) == [load_id]
    assert not rerun.list_extracted_load_packages()
    rerun.normalize()
    rerun.load()
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        counts = con.execute("select count(*), count(distinct id) from raw_recovery.items")
        assert counts.fetchall() == [(5, 5)]
    assert drop_committed_extracts(rerun) == []
