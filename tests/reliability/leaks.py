"""Find credentials and personal values where they must not be (issue 19).

The canary test (``tests/reliability/test_canary.py``) knows every secret the sandbox
accepted or issued (``GET /_sandbox/secrets``) and every personal value it served (the
raw columns the dictionary classes personal, ``pii_class`` in
``seeds/field_mapping.csv``), and searches what a run leaves behind for them.

Secrets are searched as plain substrings of the bytes. Personal values are matched as
whole words: text is cut into words (letters, digits and ``. @ + ' % - _``; the
quotes, colons and brackets of JSON, Python reprs, SQL and HTML separate them), in
lower case, and a value is found where its words appear in a row. Which values are
searched for, so that a hit is evidence and not chance:

* **e-mail addresses and phone numbers**: every value served, including the defective
  forms (``(415) 555-0123``); each number of a JSON list of phones counts;
* **names**: full names only: a name value of two words or more (Workfront users'
  ``name``, agents' display names), a one-word name holding ``@`` or ``.`` (user
  names), and each person's first and last name joined. A single first or last name
  is not searched for: "Jordan" or "Morgan" is a word of many texts;
* **free text** (survey comments) as served;
* nothing shorter than 6 characters, and no value the sandbox also serves in a field
  the dictionary does not class personal: the sandbox draws names and sentences from
  Faker pools it shares with non-personal fields (a photographer's name, an asset's
  description), so such a value proves nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: a word: letters, digits and the characters e-mail addresses and phone numbers hold
WORD = re.compile(r"[\w.@+'%-]+")
#: trimmed from both ends of a word (the end of a sentence, a quote)
TRIM = ".'-"
#: the shortest value searched for
MIN_LENGTH = 6
#: the longest value searched for, in words (longer ones: their first words)
MAX_WORDS = 12


def words(text: str) -> tuple[str, ...]:
    """The words of ``text``, lower case, trimmed; what values are compared as."""
    found = (word.strip(TRIM) for word in WORD.findall(text.lower()))
    return tuple(word for word in found if word)


def decode(data: bytes) -> str:
    """Bytes of any file as text (binary parts become replacement characters)."""
    return data.decode("utf-8", errors="replace")


@dataclass
class PersonalValues:
    """The personal values to search for, by their words."""

    by_words: dict[tuple[str, ...], str] = field(default_factory=dict)

    def add(self, value: str) -> None:
        """Search for ``value`` (if it is long and specific enough to be evidence)."""
        key = words(value)[:MAX_WORDS]
        if len(value.strip()) >= MIN_LENGTH and key:
            self.by_words.setdefault(key, value)

    def discard_all(self, values: Iterable[str]) -> int:
        """Stop searching for ``values`` (served in non-personal fields); how many."""
        before = len(self.by_words)
        for value in values:
            self.by_words.pop(words(value)[:MAX_WORDS], None)
        return before - len(self.by_words)

    def __len__(self) -> int:
        return len(self.by_words)

    def find(self, text: str) -> set[str]:
        """The values whose words appear, in a row, in ``text``."""
        haystack = words(text)
        found: set[str] = set()
        singles = {key[0]: value for key, value in self.by_words.items() if len(key) == 1}
        found |= {singles[word] for word in singles.keys() & set(haystack)}
        longer: dict[str, list[tuple[str, ...]]] = {}
        for key in self.by_words:
            if len(key) > 1:
                longer.setdefault(key[0], []).append(key)
        for start, word in enumerate(haystack):
            for key in longer.get(word, ()):
                if haystack[start : start + len(key)] == key:
                    found.add(self.by_words[key])
        return found


def personal_values(
    classed: Iterable[tuple[str, str, str]],
    full_names: Iterable[str] = (),
    not_personal: Iterable[str] = (),
) -> PersonalValues:
    """The values to search for, by the rules of this module.

    Args:
        classed: ``(pii_class, column, value)`` of every personal raw value served.
        full_names: Each person's first and last name, joined by a space.
        not_personal: Every value of the raw fields the dictionary does not class
            personal.

    """
    values = PersonalValues()
    for pii_class, _column, value in classed:
        if pii_class == "phone" and value.lstrip().startswith("["):
            for number in json.loads(value):
                values.add(str(number))
        elif pii_class == "name":
            if len(words(value)) > 1 or "@" in value or "." in value.strip(TRIM):
                values.add(value)
        else:
            values.add(value)
    for name in full_names:
        values.add(name)
    values.discard_all(not_personal)
    return values


def secrets_found(secrets: dict[str, str], haystacks: dict[str, bytes]) -> list[tuple[str, str]]:
    """``(secret name, where)`` of every secret that appears in a haystack."""
    return [
        (name, where)
        for where, haystack in haystacks.items()
        for name, value in secrets.items()
        if value.encode() in haystack
    ]
