"""The Snowflake emulator of the tests (fakesnow), in one place; development only.

Everything the project does to run its Snowflake path on fakesnow lives here or next
to it, and nothing of it ships in the runtime packages (``loaders/``, the dbt models):

* :mod:`tools.snowflake_emulator.server`: the fakesnow server with fixes to the
  emulator itself (``python -m tools.snowflake_emulator --port 8765``;
  ``make snowflake-emulator``; the tests' ``fakesnow_server`` fixture).
* :mod:`tools.snowflake_emulator.destination`: dlt's Snowflake destination writing SQL
  fakesnow reads (``loaders run --destination snowflake_emulator``). The loaders find
  it through their ``loaders.destinations`` entry points (``pyproject.toml``); they do
  not import it.
* ``macros/snowflake_emulator/``: the dbt macros that exist only for fakesnow (dbt
  finds macros only under ``macros/``), switched on by the dbt target
  ``snowflake_emulator``.

Every difference, why, and where it is made: docs/snowflake.md, "Workarounds" (under
"Snowflake emulator: what differs"). The modules are imported on their own (this
package imports nothing), so the destination does not pull in the server's
dependencies (fakesnow, uvicorn).
"""
