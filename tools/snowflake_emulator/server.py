"""Run the fakesnow server (a Snowflake emulator over DuckDB) for this project's tests.

This is ``fakesnow -s`` (fakesnow 0.12.1, HTTP on loopback, accepting any account,
user and password) with fixes to the emulator itself. They make a statement it cannot
run fail at once with a readable error instead of hanging the test run, and make it
run SQL that real Snowflake runs and that dbt-snowflake and this project send:

* **Unhandled errors answer as SQL errors.** fakesnow answers a statement it has no
  translation for (or trips over) with HTTP 500; snowflake-connector-python treats a
  500 as transient and retries the request for about ten minutes. Here the same error
  comes back as a failed query (code 261000, with the underlying exception's message),
  which the connector raises immediately, and dbt reports on the model that sent it.
* **Table comments.** fakesnow records ``COMMENT ON TABLE`` text in its information
  schema without escaping single quotes, so dbt's ``persist_docs`` of a description
  such as "every fact's date key" fails: quotes are escaped here. It also records a
  comment for every ``CREATE TABLE`` (the text 'None' when there is none), a write to a
  second database that DuckDB refuses inside a transaction (dbt's snapshot ``MERGE``
  creates a table in one): nothing is recorded for a table without a comment.
* **MERGE ... WHEN NOT MATCHED THEN INSERT (...) VALUES ("A", ...)**: fakesnow joins
  target and source, where a bare column is ambiguous; the values are qualified with
  the source's alias (what Snowflake reads them as).
* **A failed statement inside a transaction** leaves DuckDB's transaction aborted, and
  every later statement of the session fails; dbt keeps one session across nodes. The
  aborted transaction is rolled back.
* **Functions the project's Snowflake SQL uses that fakesnow mistranslates** are
  translated to DuckDB here, so the project's SQL stays what Snowflake runs:
  ``TRY_TO_TIMESTAMP_TZ(text)`` (no translation) becomes ``TRY_CAST(text AS
  TIMESTAMPTZ)``; ``ARRAY_TO_STRING`` of a VARIANT array (fakesnow stores VARIANT as
  DuckDB JSON, which DuckDB's list functions reject) casts the array to a list of text;
  ``LATERAL SPLIT_TO_TABLE(text, delimiter)`` (no translation) becomes ``LATERAL
  FLATTEN(INPUT => SPLIT(text, delimiter))``, which fakesnow translates.

Nothing else is changed: every Snowflake feature the emulator lacks (temporary
tables, ``ALTER SESSION SET QUERY_TAG``, ``GRANT``, masking policies, ``ALTER TABLE ...
ALTER COLUMN ... COMMENT``) is handled, or skipped, by the dbt project's emulator
target (``macros/snowflake_emulator/``, ``macros/snowflake/``) and listed in
docs/snowflake.md ("Workarounds").

Usage:
    python -m tools.snowflake_emulator --port 8765            # in-memory databases
    python -m tools.snowflake_emulator --port 8765 --db-path data/fakesnow
"""

from __future__ import annotations

import argparse
import importlib
import json
from typing import Any

import duckdb
import fakesnow.info_schema
import snowflake.connector.errors
import sqlglot
import uvicorn
from fakesnow.cursor import FakeSnowflakeCursor
from fakesnow.instance import FakeSnow
from sqlglot import exp
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, request_response

#: Snowflake's code for an internal error, as fakesnow reports it.
INTERNAL_ERROR = "261000"

# the module (``fakesnow.server`` is also the name of a function in ``fakesnow``)
fakesnow_server = importlib.import_module("fakesnow.server")


def _answer_errors_as_sql_errors() -> None:
    """Turn fakesnow's HTTP 500 on query requests into failed-query responses."""
    original = fakesnow_server.query_request

    async def query_request(request: Request) -> Response:
        response = await original(request)
        if response.status_code != 500:
            return response
        body: dict[str, Any] = json.loads(bytes(response.body))
        message = str(body.get("message") or "fakesnow cannot run this statement")
        code = str(body.get("code") or INTERNAL_ERROR)
        return JSONResponse(
            {
                "data": {"errorCode": code, "sqlState": "XX000"},
                "code": code,
                "message": f"fakesnow cannot run this statement (emulator limitation): {message}",
                "success": False,
            }
        )

    for route in fakesnow_server.app.routes:
        if isinstance(route, Route) and route.path == "/queries/v1/query-request":
            route.endpoint = query_request
            route.app = request_response(query_request)


def _raise_errors_as_programming_errors() -> None:
    """Report an unexpected exception as a SQL error; never leave a transaction aborted."""
    original = FakeSnowflakeCursor.execute

    def execute(self: FakeSnowflakeCursor, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        except snowflake.connector.errors.Error:
            _roll_back_if_aborted(self)
            raise
        except Exception as exc:
            _roll_back_if_aborted(self)
            fakesnow_server.logger.warning("unhandled in fakesnow", exc_info=exc)
            raise snowflake.connector.errors.ProgrammingError(
                msg=f"fakesnow cannot run this statement (emulator limitation): "
                f"{type(exc).__name__}: {exc}",
                errno=int(INTERNAL_ERROR),
                sqlstate="XX000",
            ) from exc

    FakeSnowflakeCursor.execute = execute  # type: ignore[method-assign]


def _roll_back_if_aborted(cursor: FakeSnowflakeCursor) -> None:
    """Roll back a transaction DuckDB aborted after a failed statement.

    Snowflake keeps a transaction open after a statement in it fails; DuckDB aborts it
    and refuses every later statement of the session. dbt reuses one session across
    nodes, so without this one failing node would fail every node after it.
    """
    duck = cursor._duck_conn
    try:
        duck.execute("select 1")
    except duckdb.TransactionException:
        duck.rollback()
        cursor._conn._in_transaction = False


def _qualify_merge_insert_values(expression: exp.Expr) -> exp.Expr:
    """Qualify the bare columns of a MERGE's ``insert ... values (...)`` with its source.

    In Snowflake those columns can only mean the source row's; fakesnow rewrites MERGE
    into a join of target and source, where a bare column present in both is ambiguous
    (dbt's snapshot merge inserts ``values ("A", "B", ...)``).
    """
    if not isinstance(expression, exp.Merge):
        return expression
    using = expression.args.get("using")
    alias = using.alias_or_name if isinstance(using, exp.Expr) else ""
    whens = expression.args.get("whens")
    if not alias or whens is None:
        return expression
    for when in whens.expressions:
        then = when.args.get("then")
        values = then.args.get("expression") if isinstance(then, exp.Insert) else None
        if isinstance(values, exp.Tuple):
            for column in values.expressions:
                if isinstance(column, exp.Column) and not column.table:
                    column.set("table", exp.to_identifier(alias))
    return expression


def _qualify_merges() -> None:
    """Apply :func:`_qualify_merge_insert_values` before fakesnow splits a MERGE."""
    original = FakeSnowflakeCursor._transform_explode

    def transform_explode(self: FakeSnowflakeCursor, expression: exp.Expr) -> list[exp.Expr]:
        return list(original(self, _qualify_merge_insert_values(expression)))

    FakeSnowflakeCursor._transform_explode = transform_explode  # type: ignore[method-assign]


def _translate(expression: exp.Expr) -> exp.Expr:
    """Rewrite the Snowflake functions fakesnow mistranslates, after its own transforms."""
    for function in list(expression.find_all(exp.Anonymous)):
        # TRY_TO_TIMESTAMP_TZ(text): fakesnow has no translation (DuckDB has no such function)
        if function.name.upper() == "TRY_TO_TIMESTAMP_TZ" and len(function.expressions) == 1:
            timestamp_tz = exp.DataType.build("TIMESTAMPTZ")
            function.replace(exp.TryCast(this=function.expressions[0], to=timestamp_tz))
    for joined in list(expression.find_all(exp.ArrayToString)):
        # ARRAY_TO_STRING over a VARIANT array: fakesnow's VARIANT is DuckDB JSON, which
        # DuckDB's list functions do not take; a JSON array casts to a list of text
        text_list = exp.DataType.build("ARRAY<VARCHAR>")
        joined.set("this", exp.Cast(this=joined.this, to=text_list))
    return expression


def _split_to_table_as_flatten(expression: exp.Expr) -> exp.Expr:
    """``SPLIT_TO_TABLE(text, delimiter)`` as ``FLATTEN(INPUT => SPLIT(text, delimiter))``.

    fakesnow has no SPLIT_TO_TABLE; it has FLATTEN and SPLIT. Same rows and VALUE
    column (INDEX counts from 0 here, from 1 in Snowflake; the project reads VALUE).
    Runs before fakesnow's own transforms, which then translate the FLATTEN.
    """
    for node in list(expression.find_all(exp.SplitToTable)):
        template = sqlglot.parse_one(
            "select * from t, lateral flatten(input => split(a, b)) as p", read="snowflake"
        ).find(exp.Lateral)
        assert template is not None
        split = template.find(exp.Split)
        assert split is not None
        split.set("this", node.this.copy())
        split.set("expression", node.expression.copy())
        lateral = node.parent
        node.replace(template.this)
        alias = lateral.args.get("alias") if isinstance(lateral, exp.Lateral) else None
        if alias is not None and not alias.columns:
            # FLATTEN's output columns, which fakesnow's translation of it expects
            alias.set("columns", [column.copy() for column in template.args["alias"].columns])
    return expression


def _translate_missing_functions() -> None:
    """Add the translations above to fakesnow's chain of transforms."""
    original = FakeSnowflakeCursor._transform

    def transform(self: FakeSnowflakeCursor, expression: exp.Expr, params: Any) -> exp.Expr:
        expression = _split_to_table_as_flatten(expression)
        return _translate(original(self, expression, params))

    FakeSnowflakeCursor._transform = transform  # type: ignore[method-assign]


def _escape_table_comments() -> None:
    """Escape single quotes in the table comments fakesnow records."""
    original = fakesnow.info_schema.insert_table_comment_sql

    def insert_table_comment_sql(catalog: str, schema: str, table: str, comment: str | None) -> str:
        if comment is None:
            # a CREATE without a comment: nothing to record (fakesnow would record the
            # text 'None', in its own database, which fails inside a transaction that
            # already wrote to the table's database, e.g. dbt's snapshot MERGE)
            return "select 1"
        return str(original(catalog, schema, table, comment.replace("'", "''")))

    fakesnow.info_schema.insert_table_comment_sql = insert_table_comment_sql


def patch_fakesnow(db_path: str | None = None) -> None:
    """Apply the fixes above to this process's fakesnow server.

    Args:
        db_path: Directory for persistent databases; in-memory when None.

    """
    _answer_errors_as_sql_errors()
    _raise_errors_as_programming_errors()
    _qualify_merges()
    _translate_missing_functions()
    _escape_table_comments()
    if db_path:
        fakesnow_server.shared_fs = FakeSnow(db_path=db_path)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    """Serve on loopback until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765, help="TCP port (default 8765)")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default loopback)")
    parser.add_argument("--db-path", help="directory for persistent databases (default memory)")
    args = parser.parse_args(argv)

    patch_fakesnow(args.db_path)
    # uvicorn stops gracefully on SIGINT and SIGTERM
    uvicorn.Server(
        uvicorn.Config(
            fakesnow_server.app,
            host=args.host,
            port=args.port,
            log_level="info",
            access_log=False,
        )
    ).run()
    return 0
