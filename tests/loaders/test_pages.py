"""The page check of every listing (``loaders/pages.py``)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from loaders.pages import page_check


def test_a_checked_page_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """dlt's client reads the body the check parsed; it does not parse it again."""
    response = requests.Response()
    response.status_code = 200
    response.url = "http://portal/api/v4/media/?page=1&limit=2"
    response._content = b'[{"id": "a", "size": 1.5, "tags": ["x"]}, {"id": "b"}]'
    page_check()(response)

    def parse_again(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the page was parsed a second time")

    monkeypatch.setattr("requests.models.complexjson.loads", parse_again)
    assert response.json() == [{"id": "a", "size": 1.5, "tags": ["x"]}, {"id": "b"}]
