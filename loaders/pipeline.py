"""Build and run the dlt pipelines: one per source system, raw dataset ``raw_<system>``.

Failures are classified so the CLI can say what went wrong in one line: the API
refused the credentials, the API could not be reached, or retries ran out.

A resource the API refuses (its endpoint answers 400, 403, 404: not offered by the
portal, or outside the client's scopes) is reported and skipped while the others load:
the extract runs again without it (dlt's ``with_resources``). The failed extract is
never committed, so its cursor does not move; the run exits non-zero (5) naming it,
unless the resource is optional (:data:`OPTIONAL_RESOURCES`: a warning).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import dlt
import requests
from dlt.common.pipeline import LoadInfo
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.extract.exceptions import PipeException
from dlt.pipeline.exceptions import PipelineStepFailed
from dlt.sources import DltSource

from loaders import bynder, webphone, workfront
from loaders.arrow_pages import adopt_cursor_state, pages_name, table_of
from loaders.drift import unmapped_columns
from loaders.field_mapping import PLACEHOLDER_SUFFIX
from loaders.load_report import record_load_report
from loaders.locks import file_lock
from loaders.pages import BadPage
from loaders.settings import duckdb_path, loader_duckdb_memory_limit, pipelines_dir

SOURCES: dict[str, Callable[..., DltSource]] = {
    "webphone": webphone.webphone_source,
    "bynder": bynder.bynder_source,
    "workfront": workfront.workfront_source,
}
#: Resources a portal may not offer: when refused they are skipped with a warning, and
#: the run still succeeds (Bynder's removed-media path is undocumented).
OPTIONAL_RESOURCES: dict[str, frozenset[str]] = {"bynder": bynder.OPTIONAL_RESOURCES}
#: Tables read whole on every run, for want of a change date in the API (Workfront's
#: assignments): a run with ``changes_only`` leaves them to the next complete run.
FULL_READS: dict[str, frozenset[str]] = {"workfront": workfront.FULL_READ}
#: The entry-point group through which an installed package adds a destination by name:
#: ``name = "module:factory"`` under ``[project.entry-points."loaders.destinations"]``,
#: the factory a callable taking no arguments and returning a dlt destination. The
#: module is imported only when the destination is chosen. This project adds one,
#: ``snowflake_emulator`` (development only: ``tools/snowflake_emulator/``).
DESTINATION_ENTRY_POINTS = "loaders.destinations"
#: The destinations of the loaders themselves.
BUILTIN_DESTINATIONS = ("duckdb", "snowflake")
#: Built-in destinations, then those of the entry points.
DESTINATIONS = BUILTIN_DESTINATIONS + tuple(
    sorted(
        entry.name
        for entry in entry_points(group=DESTINATION_ENTRY_POINTS)
        if entry.name not in BUILTIN_DESTINATIONS
    )
)
#: Parallel load jobs into DuckDB, whose writes to one file take turns anyway: replaying
#: a full-day Bynder package, one and two jobs took the same time (98 s, 96 s)
DUCKDB_LOAD_WORKERS = 2


class LoadError(RuntimeError):
    """A load failed for a reason a person can act on.

    Attributes:
        kind: ``auth``, ``unreachable``, ``retries_exhausted``, ``refused`` (resources
            the API refused were skipped, the others loaded) or ``failed``.
        exit_code: Process exit code the CLI uses for this kind.

    """

    EXIT_CODES = {"auth": 2, "unreachable": 3, "retries_exhausted": 4, "failed": 1, "refused": 5}

    def __init__(self, system: str, kind: str, message: str) -> None:
        """Describe the failure of ``system``."""
        super().__init__(f"{system}: {message}")
        self.system = system
        self.kind = kind
        self.exit_code = self.EXIT_CODES[kind]
        #: what was loaded, when the failure left part of the source loaded
        self.result: LoadResult | None = None


@dataclass
class LoadResult:
    """What one source load did."""

    system: str
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    load_ids: list[str] = field(default_factory=list)
    #: ``table.column (type)`` the load added that the field-mapping dictionary lacks
    unmapped_columns: list[str] = field(default_factory=list)
    #: resource name -> why the API refused it (skipped; its cursor did not move)
    refused: dict[str, str] = field(default_factory=dict)
    #: optional resources the API refused (skipped with a warning; the run succeeds)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        """Rows written to all tables."""
        return sum(self.rows.values())


def destination(name: str, system: str | None = None) -> Any:
    """The dlt destination of ``name`` (for the loader of ``system``: DuckDB's memory cap).

    DuckDB file (default), Snowflake (credentials from config), or a destination added
    through the entry points :data:`DESTINATION_ENTRY_POINTS` (the fakesnow emulator of
    the tests, ``snowflake_emulator``).
    """
    if name == "duckdb":
        path = duckdb_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return dlt.destinations.duckdb(
            credentials=DuckDbCredentials(
                str(path),
                # a known footprint whatever the volume: capped memory, and appends that
                # need not keep insertion order (DuckDB's advice for large loads under a cap)
                global_config={
                    "memory_limit": loader_duckdb_memory_limit(system),
                    "preserve_insertion_order": False,
                },
            )
        )
    if name == "snowflake":
        return dlt.destinations.snowflake()
    for entry in entry_points(group=DESTINATION_ENTRY_POINTS, name=name):
        return entry.load()()
    raise ValueError(f"unknown destination {name!r}; choose from {DESTINATIONS}")


def make_pipeline(system: str, destination_name: str = "duckdb", progress: Any = None) -> Any:
    """The pipeline of one system: name ``<system>``, dataset ``raw_<system>``."""
    options: dict[str, Any] = {"progress": progress} if progress else {}
    return dlt.pipeline(
        pipeline_name=system,
        destination=destination(destination_name, system),
        dataset_name=f"raw_{system}",
        pipelines_dir=str(pipelines_dir()),
        **options,
    )


def credential_settings(system: str, response: requests.Response) -> list[str]:
    """The settings behind the credentials ``response`` refused, as the user set them.

    A token endpoint refuses the client (and Workfront's, the refresh token); a data
    endpoint refuses Workfront's API key (``apiKey`` header), or an access token that
    those same client settings obtained.
    """
    request = response.request
    sent_key = request is not None and (
        "apiKey" in request.headers or "apikey=" in (request.url or "").lower()
    )
    if sent_key:
        return ["API_KEY"]
    if system == "workfront":
        return ["CLIENT_ID", "CLIENT_SECRET", "REFRESH_TOKEN"]
    return ["CLIENT_ID", "CLIENT_SECRET"]


def _classify(system: str, error: BaseException) -> LoadError:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    for exc in seen:
        if isinstance(exc, BadPage):
            return LoadError(
                system,
                "retries_exhausted",
                f"gave up after retries: {exc}; the next run resumes from the last "
                "committed cursor",
            )
        if isinstance(exc, requests.HTTPError) and exc.response is not None:
            status = exc.response.status_code
            url = exc.response.url.split("?")[0]
            if status in (400, 401, 403) and ("token" in url or status in (401, 403)):
                settings = " / ".join(credential_settings(system, exc.response))
                return LoadError(
                    system,
                    "auth",
                    f"the API refused the credentials (HTTP {status} from {url}); check "
                    f"SOURCES__{system.upper()}__{settings} (or .dlt/secrets.toml)",
                )
            if status == 429 or status >= 500:
                return LoadError(
                    system,
                    "retries_exhausted",
                    f"gave up after retries: HTTP {status} from {url}; the next run resumes "
                    "from the last committed cursor",
                )
            reason = workfront.workfront_message(exc.response)  # the API's own explanation
            because = f": {reason}" if reason else ""
            return LoadError(system, "failed", f"HTTP {status} from {url}{because}")
        if isinstance(exc, requests.ConnectionError | requests.Timeout):
            return LoadError(
                system,
                "unreachable",
                f"cannot reach the API ({type(exc).__name__}); check SOURCES__{system.upper()}"
                "__BASE_URL and that the service is up",
            )
    return LoadError(system, "failed", f"{type(error).__name__}: {error}")


#: HTTP statuses of a data endpoint that mean "not for this client": the portal does
#: not offer the endpoint, or the client's scopes do not allow it (a refused token is
#: a credentials error, whatever its status).
REFUSED_STATUSES = (400, 403, 404, 405, 410, 422)


def _refusal(error: BaseException) -> tuple[str, str] | None:
    """(resource, reason) when ``error`` is a data endpoint refusing one resource."""
    resource: str | None = None
    http: requests.HTTPError | None = None
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        if resource is None and isinstance(current, PipeException):
            # the pages resource of a table landed as Arrow: the table's resource
            resource = table_of(current.pipe_name)
        if http is None and isinstance(current, requests.HTTPError):
            http = current
        current = current.__cause__ or current.__context__
    if resource is None or http is None or http.response is None:
        return None
    url = http.response.url.split("?")[0]
    status = http.response.status_code
    if status not in REFUSED_STATUSES or "token" in url:
        return None
    reason = workfront.workfront_message(http.response)  # the API's own explanation
    return resource, f"HTTP {status} from {url}" + (f": {reason}" if reason else "")


def _extract(pipeline: Any, source: DltSource, refresh: Any, system: str = "") -> dict[str, str]:
    """Extract ``source``; return the resources the API refused (skipped).

    When the API refuses a resource, the extract fails and commits nothing: it runs
    again without that resource (and the transformers it feeds), so the others load
    and the refused resource keeps its cursor. Other failures are raised. dlt reads
    the resources round robin, so a refused endpoint fails on its first request and
    little is read twice. When the API refuses every resource, the source as
    configured does not work (a wrong base URL or API version): a ``failed`` error.
    """
    refused: dict[str, str] = {}
    names = list(source.resources.selected)
    while names:
        try:
            pipeline.extract(
                source.with_resources(*names), refresh=refresh, loader_file_format="parquet"
            )
            break
        except PipelineStepFailed as exc:
            found = _refusal(exc)
            if found is None or found[0] not in names:
                raise
            name, reason = found
            refused[name] = reason
            fed = _fed_by(source, name)
            names = [n for n in names if n != name and n not in fed]
            for child in sorted(fed):
                refused.setdefault(child, f"not read: {name} feeds it")
    if refused and all(n.endswith(PLACEHOLDER_SUFFIX) for n in names):
        reasons = "; ".join(f"{name} ({reason})" for name, reason in refused.items())
        raise LoadError(system, "failed", f"the API refused every resource: {reasons}")
    return refused


def arrow_tables(source: DltSource) -> list[str]:
    """Tables of ``source`` landed as Arrow pages (fed by their pages resource)."""
    return [
        name
        for name, resource in source.resources.items()
        if resource._pipe.parent is not None and resource._pipe.parent.name == pages_name(name)
    ]


def _fed_by(source: DltSource, name: str) -> set[str]:
    """Names of the transformers that ``name`` (or its pages resource) feeds, directly or not."""
    fed: set[str] = set()
    changed = True
    while changed:
        changed = False
        for resource in source.resources.values():
            parent = resource._pipe.parent
            parents = fed | {name, pages_name(name)}
            if parent is not None and parent.name in parents and resource.name not in fed | {name}:
                fed.add(resource.name)
                changed = True
    return fed


def without_full_reads(source: DltSource, tables: frozenset[str]) -> DltSource:
    """``source`` without the resources of ``tables`` (a table's and its pages')."""
    left_out = tables | {pages_name(table) for table in tables}
    kept = [name for name in source.resources.selected if name not in left_out]
    return source.with_resources(*kept)


def run_source(
    system: str,
    destination_name: str = "duckdb",
    *,
    full_refresh: bool = False,
    start: str | None = None,
    end: str | None = None,
    progress: Any = None,
    changes_only: bool = False,
) -> LoadResult:
    """Extract, normalize and load one source system.

    Args:
        system: ``webphone``, ``bynder`` or ``workfront``.
        destination_name: ``duckdb`` or ``snowflake``.
        full_refresh: Drop the source's raw tables and cursor state, then reload.
        start: Backfill from this instant (ISO 8601) instead of the stored cursor.
        end: Backfill up to this instant (exclusive); with ``start`` the run is
            stateless and does not move the stored cursor.
        progress: dlt progress collector (``log``, ``tqdm``, ...).
        changes_only: Leave out the tables read whole on every run
            (:data:`FULL_READS`): a frequent run takes the changes, and the tables
            without a change date wait for the next complete run.

    Raises:
        LoadError: Classified failure (auth, unreachable API, retries exhausted), or
            ``refused`` after loading the rest when the API refused some resources.

    """
    if system not in SOURCES:
        raise ValueError(f"unknown source {system!r}; choose from {sorted(SOURCES)}")
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    pipeline = make_pipeline(system, destination_name, progress)
    kwargs: dict[str, Any] = {}
    if start is not None:
        kwargs["initial_value"] = start
    if end is not None:
        kwargs["end_value"] = end
    began = time.perf_counter()
    try:
        with destination_lock(destination_name):
            if pipeline.has_pending_data:
                # a run killed after its extract left packages behind: finish them first
                drop_committed_extracts(pipeline)
                pipeline.normalize()
                recovered = _load(pipeline, destination_name)
                if recovered is not None:
                    record_load_report(pipeline, system, list(recovered.loads_ids))
            else:
                # a new working folder restores its state (cursors) from the destination
                pipeline.sync_destination()
        source = SOURCES[system](**kwargs)
        if changes_only:
            source = without_full_reads(source, FULL_READS.get(system, frozenset()))
        # raw keeps the API's own text for every timestamp: dbt standardizes it, and a
        # malformed value must reach staging rather than a dlt variant column
        source.schema.remove_type_detection("iso_timestamp")
        # the cursors of the row loader's resources move to the pages resources
        adopt_cursor_state(pipeline, source.name, arrow_tables(source))
        refused = _extract(pipeline, source, "drop_sources" if full_refresh else None, system)
        normalized = pipeline.normalize()
        with destination_lock(destination_name):
            info: LoadInfo = _load(pipeline, destination_name)
            load_ids = list(info.loads_ids)
            # what the API delivered per table, for dbt's reconciliation (raw_load_reports)
            record_load_report(pipeline, system, load_ids, normalized)
    except PipelineStepFailed as exc:
        raise _classify(system, exc) from exc
    except (requests.RequestException, OSError) as exc:
        raise _classify(system, exc) from exc
    result = LoadResult(system, time.perf_counter() - began, load_ids=load_ids)
    result.unmapped_columns = unmapped_columns(system, info, pipeline.default_schema.naming)
    for table, count in normalized.row_counts.items():
        if not table.startswith("_dlt"):
            result.rows[table] = result.rows.get(table, 0) + count
    optional = OPTIONAL_RESOURCES.get(system, frozenset())
    result.skipped = {name: why for name, why in refused.items() if name in optional}
    refused = {name: why for name, why in refused.items() if name not in optional}
    if refused:
        result.refused = refused
        reasons = "; ".join(f"{name} ({reason})" for name, reason in refused.items())
        loaded = ", ".join(f"{t}={n}" for t, n in sorted(result.rows.items()) if n)
        error = LoadError(
            system,
            "refused",
            f"the API refused {len(refused)} resource(s), skipped (their cursors did not "
            f"move): {reasons}; the others loaded ({loaded or 'no changes'})",
        )
        error.result = result
        raise error
    return result


def drop_committed_extracts(pipeline: Any) -> list[str]:
    """Finish a normalize that was killed while it committed; return the load ids.

    dlt's normalize renames the new load package into place and then deletes the
    extracted package ("Committing storage, do not kill this process"). A run killed
    between the two leaves both, and normalizing the extracted copy again fails on the
    rename (the package already exists). The commit had happened, so the extracted copy,
    or what is left of it, is deleted, as dlt would have done next.
    """
    extracted = pipeline._get_normalize_storage().extracted_packages
    load_storage = pipeline._get_load_storage()
    committed = set(load_storage.list_normalized_packages()) | set(
        load_storage.list_loaded_packages()
    )
    dropped = [load_id for load_id in extracted.list_packages() if load_id in committed]
    for load_id in dropped:
        extracted.delete_package(load_id, not_exists_ok=True)
    return dropped


def _load(pipeline: Any, destination_name: str) -> LoadInfo:
    """Load the normalized packages; into DuckDB with :data:`DUCKDB_LOAD_WORKERS` jobs."""
    if destination_name == "duckdb":
        return pipeline.load(workers=DUCKDB_LOAD_WORKERS)
    return pipeline.load()  # workers: `[load] workers` of .dlt/config.toml


def destination_lock(destination_name: str) -> contextlib.AbstractContextManager[None]:
    """Let one process at a time open the DuckDB file (DuckDB allows one writer).

    Sources loaded in parallel (``loaders run``) extract and normalize concurrently and
    take turns for the steps that open the warehouse: the state sync, the load and the
    load report. A destination of the entry points takes turns too, one lock per name
    (the Snowflake emulator is one DuckDB database behind a server); Snowflake takes
    concurrent loads: no lock.
    """
    if destination_name == "duckdb":
        return file_lock(Path(f"{duckdb_path()}.lock"))
    if destination_name not in BUILTIN_DESTINATIONS:
        return file_lock(pipelines_dir() / f"{destination_name}.lock")
    return contextlib.nullcontext()
