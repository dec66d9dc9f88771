"""The dbt docs site renders: a model page and the lineage graph, in headless Chromium.

The site loads manifest.json and catalog.json with fetch, which file:// URLs block, so
the target directory is served over loopback HTTP for the test.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Warehouse


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def docs_url(warehouse: Warehouse) -> Iterator[str]:
    """``dbt docs generate`` on the shared warehouse, served on a free loopback port."""
    warehouse.dbt("docs", "generate")
    target: Path = warehouse.target_path
    assert (target / "index.html").exists() and (target / "catalog.json").exists()
    handler = functools.partial(_QuietHandler, directory=str(target))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def _relevant(errors: list[str]) -> list[str]:
    # the docs template asks for a favicon and two icon placeholders that dbt does not ship
    return [e for e in errors if "Failed to load resource" not in e]


def test_model_page_and_lineage_graph_render(browser: Any, docs_url: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{docs_url}#!/model/model.warehouse.fact_calls")
        # the model page: its description (with the grain) and its documented columns
        page.wait_for_selector("text=One row per call leg", timeout=60_000)
        assert page.locator("text=customer_key").count() > 0
        assert page.locator("text=Incremental, by record").count() > 0

        # the lineage graph of the model: a cytoscape canvas with the model's neighbours
        page.click(".launcher-btn")
        page.wait_for_selector("#cy canvas", timeout=30_000)
        page.wait_for_function(
            "() => { const cy = document.getElementById('cy')._cyreg.cy;"
            " return cy && cy.nodes().length > 3 }",
            timeout=30_000,
        )
        names = page.evaluate(
            "() => document.getElementById('cy')._cyreg.cy.nodes().map(n => n.data('label'))"
        )
        assert {"int_calls_measured", "dim_customer", "fact_calls"} <= set(names), names
        assert _relevant(errors) == []
    finally:
        page.close()
