"""The field-mapping dictionary and what it generates."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tools import sync_dictionary

DICTIONARY = ROOT / "seeds" / "field_mapping.csv"


def rows() -> list[dict[str, str]]:
    with DICTIONARY.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_at_least_500_mappings_over_three_systems() -> None:
    mapped = rows()
    assert len(mapped) >= 500
    assert {r["source_system"] for r in mapped} == {"webphone", "bynder", "workfront"}
    assert sum(r["source_field"].startswith("property_") for r in mapped) >= 150
    assert sum(r["source_field"].startswith("parameterValues.DE:") for r in mapped) >= 80


def test_every_table_has_one_primary_key_and_documented_columns() -> None:
    keys: dict[tuple[str, str], int] = {}
    for row in rows():
        table = (row["source_system"], row["source_object"])
        keys[table] = keys.get(table, 0) + (row["is_primary_key"] == "true")
        assert row["description"].strip(), row
        assert row["target_column"] == row["target_column"].lower(), row
    assert all(count == 1 for count in keys.values()), keys


def test_generated_dbt_files_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "tools/sync_dictionary.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


# ------------------------------------------------- the column lines of staging models
@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of what sync_dictionary reads and writes, with the tool pointed at it."""
    for folder in ("seeds", "macros/field_mapping", "models/staging"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.setattr(sync_dictionary, "ROOT", tmp_path)
    monkeypatch.setattr(sync_dictionary, "DICTIONARY", tmp_path / "seeds" / "field_mapping.csv")
    monkeypatch.setattr(
        sync_dictionary,
        "MACRO",
        tmp_path / "macros" / "field_mapping" / "field_mapping_dictionary.sql",
    )
    monkeypatch.setattr(sync_dictionary, "STAGING", tmp_path / "models" / "staging")
    monkeypatch.setattr(
        sync_dictionary, "DOCS", tmp_path / "models" / "staging" / "_field_mapping__docs.md"
    )
    return tmp_path


AGENTS = Path("models/staging/webphone/stg_webphone__agents.sql")
EMAIL_LINE = "{{ stage_column(raw, 'email', 'string', 'lower_trim') }} as email_address,"


def test_every_dictionary_row_is_a_line_of_its_staging_model() -> None:
    for row in rows():
        system, table = row["source_system"], row["source_object"]
        sql = (ROOT / "models/staging" / system / f"stg_{system}__{table}.sql").read_text()
        call = (
            f"{{{{ stage_column(raw, '{row['raw_column']}', "
            f"'{row['target_type']}', '{row['rule']}') }}}}"
        )
        assert f"{call} as {row['target_column']}," in " ".join(sql.split()), row


@pytest.mark.parametrize(
    ("edit", "replacement"),
    [
        pytest.param(EMAIL_LINE, EMAIL_LINE.replace("email_address", "email"), id="rename"),
        pytest.param(EMAIL_LINE, EMAIL_LINE.replace("lower_trim", "trim"), id="rule"),
        pytest.param(EMAIL_LINE, "", id="dropped column"),
        pytest.param(
            "        {# end of generated columns #}",
            "        {{ stage_column(raw, 'team', 'string', 'trim') }} as team_2,\n"
            "        {# end of generated columns #}",
            id="added column",
        ),
    ],
)
def test_check_fails_on_a_hand_edit_of_the_column_lines(
    project: Path, capsys: pytest.CaptureFixture[str], edit: str, replacement: str
) -> None:
    model = project / AGENTS
    text = model.read_text()
    assert sync_dictionary.main(["--check"]) == 0
    assert text.count(edit) == 1
    model.write_text(text.replace(edit, replacement))

    assert sync_dictionary.main(["--check"]) == 1
    assert f"out of date: {AGENTS}" in capsys.readouterr().out
    assert sync_dictionary.main([]) == 0  # the write puts the dictionary's line back
    assert model.read_text() == text


def test_a_rename_in_the_dictionary_shows_in_the_model_and_hand_written_parts_stay(
    project: Path,
) -> None:
    dictionary = project / "seeds" / "field_mapping.csv"
    csv_text = dictionary.read_text()
    renamed = "webphone,agents,email,email,text,email_address,"
    assert csv_text.count(renamed) == 1
    dictionary.write_text(csv_text.replace(renamed, renamed.replace("email_address", "work_email")))
    model = project / AGENTS
    hand_written = "-- a reviewer's note outside the generated block\n"
    model.write_text(hand_written + model.read_text())

    assert sync_dictionary.main(["--check"]) == 1
    assert sync_dictionary.main([]) == 0
    text = model.read_text()
    assert text.startswith(hand_written)
    assert "{{ stage_column(raw, 'email', 'string', 'lower_trim') }} as work_email," in text
    assert "as email_address," not in text
    assert sync_dictionary.main(["--check"]) == 0


def test_a_model_without_its_generated_block_is_reported(project: Path) -> None:
    model = project / AGENTS
    model.write_text(model.read_text().replace("{# end of generated columns #}", ""))
    with pytest.raises(SystemExit, match="needs one generated block"):
        sync_dictionary.main(["--check"])


def test_a_missing_model_is_written_from_the_template_with_its_column_lines(
    project: Path,
) -> None:
    model = project / AGENTS
    model.unlink()
    assert sync_dictionary.main(["--check"]) == 1
    assert sync_dictionary.main([]) == 0
    text = model.read_text()
    assert "{{ config(unique_key='agent_id') }}" in text
    assert "where {{ completed_raw_loads('webphone') }}" in text
    assert f"        {EMAIL_LINE}\n" in text
    assert sync_dictionary.main(["--check"]) == 0
