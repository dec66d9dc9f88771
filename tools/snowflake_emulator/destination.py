"""The dlt Snowflake destination pointed at the fakesnow emulator (development only).

``loaders run --destination snowflake_emulator`` loads through dlt's own Snowflake
client (PUT into a stage, ``COPY INTO``, MERGE from the staging dataset), against a
fakesnow server on loopback (``FAKESNOW_HOST``, ``FAKESNOW_PORT``). fakesnow 0.12.1
does not read every form of that SQL, so this destination, and only this one,
changes how some statements are *written*; what they do is unchanged, and every
rewritten form is also valid Snowflake SQL:

* DDL is sent one statement per request (fakesnow runs one statement per request;
  dlt batches ``CREATE TABLE`` scripts), through the ``supports_multiple_statements``
  capability.
* The pipeline-state table is written as parquet like the data tables
  (``preferred_loader_file_format``): fakesnow's JSON ``COPY`` loads each line into a
  single VARIANT column, not into the table's columns.
* ``PUT ... '@"SCHEMA"."%TABLE"/"<load_id>"'``: the stage location is sent unquoted;
  fakesnow rejects a quoted stage literal ("does not start with @").
* ``COPY INTO ... FILE_FORMAT = (TYPE = 'PARQUET', BINARY_AS_TEXT = FALSE, ...)``: the
  options are separated by spaces, not commas (fakesnow fails on the comma list with
  an HTTP 500 that the connector retries for ten minutes).
* ``MATCH_BY_COLUMN_NAME='CASE_INSENSITIVE'`` is sent as the bare keyword
  ``CASE_INSENSITIVE`` (fakesnow implements only the keyword form).
* Not sent at all: the session's query tag (``ALTER SESSION SET QUERY_TAG``) and the
  ``REMOVE`` of staged files after ``COPY`` (``keep_staged_files``); fakesnow has
  neither.

The production destination (``--destination snowflake``) uses none of this. The
loaders find this one by name through their ``loaders.destinations`` entry points
(``pyproject.toml``; :func:`loaders.pipeline.destination`): they never import it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dlt.destinations.impl.snowflake.factory import snowflake
from dlt.destinations.impl.snowflake.snowflake import SnowflakeClient
from dlt.destinations.impl.snowflake.sql_client import SnowflakeSqlClient

_PUT_QUOTED_STAGE = re.compile(r"^(\s*PUT\s+'[^']*'\s+)'(@[^']*)'", re.IGNORECASE)
_FILE_FORMAT_LIST = re.compile(r"FILE_FORMAT\s*=\s*\(([^)]*)\)", re.IGNORECASE)
_MATCH_BY_QUOTED = re.compile(r"MATCH_BY_COLUMN_NAME\s*=\s*'(\w+)'", re.IGNORECASE)


def emulator_sql(sql: str) -> str:
    """Rewrite one statement of dlt's Snowflake loader into a form fakesnow reads.

    Args:
        sql: A statement as dlt's Snowflake client sends it.

    Returns:
        The same statement, with ``PUT`` stage literals unquoted, ``COPY`` file-format
        options separated by spaces and ``MATCH_BY_COLUMN_NAME`` as a keyword.

    """
    sql = _PUT_QUOTED_STAGE.sub(r"\1\2", sql)
    if re.match(r"\s*COPY\s+INTO", sql, re.IGNORECASE):
        sql = _FILE_FORMAT_LIST.sub(
            lambda match: "FILE_FORMAT = (" + " ".join(_split_options(match.group(1))) + ")", sql
        )
        sql = _MATCH_BY_QUOTED.sub(r"MATCH_BY_COLUMN_NAME = \1", sql)
    return sql


def _split_options(options: str) -> list[str]:
    """Split ``A = 'x', B = ('a', 'b')`` on top-level commas outside quotes."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    quoted = False
    for char in options:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == "," and not quoted and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


class EmulatorSqlClient(SnowflakeSqlClient):
    """dlt's Snowflake SQL client, with :func:`emulator_sql` applied to every statement."""

    @contextmanager
    def execute_query(self, query: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Run one statement, rewritten for fakesnow."""
        if isinstance(query, str):
            query = emulator_sql(query)
        with super().execute_query(query, *args, **kwargs) as cursor:
            yield cursor

    def _tag_session(self) -> None:
        """Skip the session's query tag: fakesnow has no ``ALTER SESSION SET QUERY_TAG``."""


class EmulatorSnowflakeClient(SnowflakeClient):
    """dlt's Snowflake job client whose SQL client is :class:`EmulatorSqlClient`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the production client, then switch its SQL client's class."""
        super().__init__(*args, **kwargs)
        # same state, overridden methods: load jobs and merge jobs share this client
        self.sql_client.__class__ = EmulatorSqlClient
        # fakesnow has no REMOVE; its stages are a temporary directory anyway
        self.config.keep_staged_files = True


class snowflake_emulator(snowflake):
    """dlt's Snowflake destination whose client writes SQL fakesnow reads."""

    @property
    def client_class(self) -> type[SnowflakeClient]:
        """The job client of this destination."""
        return EmulatorSnowflakeClient


def emulator_credentials() -> str:
    """Connection string of the fakesnow server (``FAKESNOW_HOST``, ``FAKESNOW_PORT``).

    fakesnow accepts any account, user and password; the database is
    ``SNOWFLAKE_DATABASE`` (default ``ANALYTICS``), as in the dbt emulator target.
    """
    host = os.environ.get("FAKESNOW_HOST", "127.0.0.1")
    port = os.environ.get("FAKESNOW_PORT", "8765")
    database = os.environ.get("SNOWFLAKE_DATABASE", "ANALYTICS")
    return (
        f"snowflake://loader:fake@fakesnow/{database}"  # pragma: allowlist secret
        f"?warehouse=LOADING&role=LOADER&host={host}&port={port}&protocol=http"
    )


def emulator_destination() -> snowflake_emulator:
    """The dlt destination of ``loaders run --destination snowflake_emulator``."""
    return snowflake_emulator(
        credentials=emulator_credentials(),
        supports_multiple_statements=False,
        preferred_loader_file_format="parquet",
    )
