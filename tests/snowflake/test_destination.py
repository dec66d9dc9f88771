"""The loaders' Snowflake destinations, without a server: configuration and SQL.

Production (``--destination snowflake``) authenticates with a key pair and stages
files as ``.dlt/config.toml`` says; the emulator destination rewrites only the forms
of dlt's statements that fakesnow cannot read, into forms Snowflake also runs, and
comes from the development code (``tools/snowflake_emulator/``), never from the
loaders' own. The end-to-end load through both is in ``test_emulator.py``.
"""

from __future__ import annotations

import ast
import fcntl
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from loaders.pipeline import (
    BUILTIN_DESTINATIONS,
    DESTINATIONS,
    destination,
    destination_lock,
    make_pipeline,
)
from tools.snowflake_emulator.destination import emulator_sql, snowflake_emulator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """An encrypted PKCS#8 private key, as `openssl pkcs8 -topk8 -v2 aes256` writes."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "rsa_key.p8"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"passphrase"),
        )
    )
    return path


def test_production_destination_uses_key_pair_auth(
    key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # dlt reads .dlt/config.toml from the working directory
    monkeypatch.setenv("DLT_PIPELINES_DIR", str(tmp_path / "dlt"))
    for key, value in {
        "HOST": "myorg-myaccount",
        "DATABASE": "ANALYTICS",
        "USERNAME": "LOADER_SVC",
        "WAREHOUSE": "LOADING",
        "ROLE": "LOADER",
        "PRIVATE_KEY_PATH": str(key_file),
        "PRIVATE_KEY_PASSPHRASE": "passphrase",  # pragma: allowlist secret
    }.items():
        monkeypatch.setenv(f"DESTINATION__SNOWFLAKE__CREDENTIALS__{key}", value)

    pipeline = make_pipeline("webphone", "snowflake")
    config = pipeline.destination_client().config
    params = config.credentials.to_connector_params()

    assert params["account"] == "myorg-myaccount"
    assert params["user"] == "LOADER_SVC"
    assert params["warehouse"] == "LOADING" and params["role"] == "LOADER"
    assert params["private_key"]  # decrypted DER bytes
    assert not params.get("password") and "authenticator" not in params
    assert "private_key_passphrase" not in params
    # .dlt/config.toml: staged files removed after COPY, every load tagged
    assert config.keep_staged_files is False
    assert '"load_id":"{load_id}"' in (config.query_tag or "")


def test_emulator_rewrites_only_the_forms_fakesnow_cannot_read() -> None:
    put = (
        'PUT \'file:///tmp/load/calls.1.parquet\' \'@"RAW_WEBPHONE"."%CALLS"/"1795.1"\''
        " OVERWRITE = TRUE, AUTO_COMPRESS = FALSE"
    )
    assert emulator_sql(put) == (
        'PUT \'file:///tmp/load/calls.1.parquet\' @"RAW_WEBPHONE"."%CALLS"/"1795.1"'
        " OVERWRITE = TRUE, AUTO_COMPRESS = FALSE"
    )
    copy = (
        'COPY INTO "RAW_WEBPHONE"."CALLS"\n'
        '        FROM \'@"RAW_WEBPHONE"."%CALLS"/"1795.1"/calls.1.parquet\'\n'
        "        FILE_FORMAT = (TYPE = 'PARQUET', BINARY_AS_TEXT = FALSE,"
        " USE_LOGICAL_TYPE = TRUE)\n"
        "        MATCH_BY_COLUMN_NAME='CASE_INSENSITIVE'\n"
    )
    rewritten = emulator_sql(copy)
    assert "FILE_FORMAT = (TYPE = 'PARQUET' BINARY_AS_TEXT = FALSE USE_LOGICAL_TYPE = TRUE)" in (
        rewritten
    )
    assert "MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE" in rewritten
    assert rewritten.startswith('COPY INTO "RAW_WEBPHONE"."CALLS"')
    # everything else goes through as dlt wrote it
    for statement in (
        'CREATE TABLE "RAW_WEBPHONE"."CALLS" ("ID" VARCHAR)',
        "MERGE INTO a USING b ON a.id = b.id WHEN MATCHED THEN DELETE",
        "SELECT 'FILE_FORMAT = (A, B)' AS literal",
    ):
        assert emulator_sql(statement) == statement


def test_emulator_destination_comes_from_the_development_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The loaders name the emulator nowhere: it is an entry-point destination."""
    monkeypatch.chdir(ROOT)
    assert BUILTIN_DESTINATIONS == ("duckdb", "snowflake")
    assert "snowflake_emulator" in DESTINATIONS
    assert isinstance(destination("snowflake_emulator"), snowflake_emulator)
    with pytest.raises(ValueError, match="unknown destination 'nowhere'"):
        destination("nowhere")


def test_entry_point_destinations_take_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The emulator (one DuckDB behind a server) loads one source at a time; Snowflake
    takes concurrent loads."""
    monkeypatch.setenv("DLT_PIPELINES_DIR", str(tmp_path))
    lock = tmp_path / "snowflake_emulator.lock"
    with (
        destination_lock("snowflake_emulator"),
        lock.open("a") as other,
        pytest.raises(BlockingIOError),
    ):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with destination_lock("snowflake"):
        assert list(tmp_path.iterdir()) == [lock]


def test_loaders_import_no_development_code() -> None:
    """No module of the runtime package ``loaders`` imports the emulator, the sandbox or
    the development tools (issue 17: development code kept apart)."""
    development = ("tools", "sandbox", "fakesnow", "tests")
    offenders: list[str] = []
    for path in sorted((ROOT / "loaders").rglob("*.py")):
        assert "emulator" not in path.name, f"emulator code in the runtime package: {path}"
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name.split(".")[0] in development or "emulator" in name
            ]
    assert not offenders, offenders
