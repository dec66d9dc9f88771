"""The canary's scanner finds what it must and nothing else (tests/reliability/leaks.py)."""

from __future__ import annotations

import json

from tests.reliability.leaks import personal_values, secrets_found, words

CLASSED = [
    ("email", "email", "Ann.Berg42@Example.org"),
    ("phone", "from_number", "+14155550123"),
    ("phone", "from_number", "(212) 555-0199"),
    ("phone", "phone_numbers", '["+13125550111", "+16175550112"]'),
    ("name", "first_name", "Jordan"),
    ("name", "name", "Maximilian Osterhagen"),
    ("name", "display_name", "Ann B."),
    ("name", "username", "ann.berg42@example.org"),
    ("free_text", "comment", "Wonderful agent, solved everything in minutes."),
    ("free_text", "comment", "Shared sentence drawn for a description too."),
]


def values() -> set[str]:
    found = personal_values(
        CLASSED,
        full_names=["Jordan Castellano"],
        not_personal=["Shared sentence drawn for a description too."],
    )
    return set(found.by_words.values())


def test_words_are_lower_case_and_trimmed() -> None:
    assert words('{"email": "Ann.Berg42@Example.org."}') == ("email", "ann.berg42@example.org")
    assert words("('+14155550123',)") == ("+14155550123",)


def test_which_values_are_searched_for() -> None:
    searched = values()
    assert "Jordan" not in searched  # a single first name is no evidence
    assert "Ann B." in searched and "Jordan Castellano" in searched
    assert {"+13125550111", "+16175550112"} <= searched  # each number of a JSON list
    assert "Shared sentence drawn for a description too." not in searched  # not personal
    assert "Wonderful agent, solved everything in minutes." in searched


def test_values_are_found_in_json_reprs_sql_and_html() -> None:
    found = personal_values(CLASSED, ["Jordan Castellano"])
    sample = json.dumps({"email_address": "ann.berg42@example.org", "to": "+14155550123"})
    assert found.find(sample) == {"Ann.Berg42@Example.org", "+14155550123"}
    assert found.find("HTTPError(\"400 for url: x?phone=('212) 555-0199'\")") == {"(212) 555-0199"}
    assert found.find("<td>Maximilian  Osterhagen</td>") == {"Maximilian Osterhagen"}
    assert found.find("where last_name = 'Castellano' and first_name = 'Jordan'") == set()
    assert found.find("ann.berg42@example.org.uk +141555501234 Jordan") == set()


def test_secrets_are_found_as_bytes() -> None:
    haystacks = {"trace": b"url?apiKey=s3cr3t-key&x=1", "log": b"apiKey=***"}
    assert secrets_found({"api key": "s3cr3t-key"}, haystacks) == [("api key", "trace")]
