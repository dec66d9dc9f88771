"""The source floor: every page the loaders read, fetched by a bare HTTP client.

``python -m bench.source_floor`` (the bench's ``end_to_end`` stage runs it against its
sandbox, after the loaders) walks every listing of the three sources as a fresh
``loaders run`` would, with the same concurrency (one process per source, each
reading its listings one after another) and prints one JSON object: wall seconds,
pages, bytes and records per source. Nothing is written anywhere.

The walk is the loaders' own: each source's ``rest_api`` configuration
(:func:`loaders.bynder.bynder_config` and the others), its endpoints merged with the
resource defaults by dlt, the same query parameters and incremental start (and end)
parameters, the same dlt paginators, the same auth. What it leaves out is everything
a loader does with a page: no dlt extract, normalize or load, no page checks, no
retries (the bench's sandbox injects no faults). A page body is decoded once (orjson)
only because the paginators need its length (a short page ends Bynder's and
Workfront's listings) or its next cursor (WebPhone); the records are not looked at.
The floor leaves out the loaders' extra request when a listing ends on an empty page
(the count that confirms it), and listings fed by another (Bynder's per-asset usage,
used only on portals without the bulk listing) are refused rather than skipped.
"""

from __future__ import annotations

import copy
import functools
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import dlt
import orjson
import requests
from dlt.sources.helpers.rest_client.utils import join_url
from dlt.sources.rest_api import RESTAPIConfig
from dlt.sources.rest_api.config_setup import (
    build_resource_dependency_graph,
    create_auth,
    create_paginator,
    expand_placeholders,
    setup_incremental_object,
)
from dlt.sources.rest_api.typing import Endpoint

from loaders import bynder, webphone, workfront
from loaders.settings import DEFAULT_INITIAL_VALUE, PAGE_SIZES, SYSTEMS


def source_config(system: str) -> RESTAPIConfig:
    """The loaders' ``rest_api`` configuration of ``system``, for a fresh pipeline.

    Credentials, URLs, page sizes and first cursor values come from dlt's configuration
    (``SOURCES__<SYSTEM>__...``), as the loaders read them.
    """
    section = f"sources.{system}"
    base_url = dlt.config[f"{section}.base_url"]
    common: dict[str, Any] = {
        "initial_value": dlt.config.get(f"{section}.initial_value", str) or DEFAULT_INITIAL_VALUE,
        "page_size": dlt.config.get(f"{section}.page_size", int) or PAGE_SIZES[system],
    }
    if system == "webphone":
        return webphone.webphone_config(
            base_url,
            dlt.secrets[f"{section}.client_id"],
            dlt.secrets[f"{section}.client_secret"],
            **common,
        )
    if system == "bynder":
        return bynder.bynder_config(
            base_url,
            dlt.secrets[f"{section}.client_id"],
            dlt.secrets[f"{section}.client_secret"],
            usage_mode=dlt.config.get(f"{section}.usage_mode", str) or "auto",
            **common,
        )
    if system == "workfront":
        return workfront.workfront_config(
            base_url,
            api_version=dlt.config.get(f"{section}.api_version", str) or "v19.0",
            client_id=dlt.secrets.get(f"{section}.client_id", str),
            client_secret=dlt.secrets.get(f"{section}.client_secret", str),
            refresh_token=dlt.secrets.get(f"{section}.refresh_token", str),
            api_key=dlt.secrets.get(f"{section}.api_key", str),
            **common,
        )
    raise ValueError(f"unknown source {system!r}; choose from {SYSTEMS}")


def walk_source(system: str) -> dict[str, Any]:
    """Fetch every page of every listing of ``system``; pages, bytes, records, seconds."""
    began = time.perf_counter()
    totals = walk_config(source_config(system), system)
    return {**totals, "seconds": time.perf_counter() - began}


def walk_config(config: RESTAPIConfig, system: str = "") -> dict[str, int]:
    """Fetch every page of every listing of a ``rest_api`` config; pages, bytes, records.

    Raises:
        ValueError: A listing is fed by another one (the floor does not read records).

    """
    client = config["client"]
    auth = create_auth(client.get("auth"))
    graph, endpoints, resolved = build_resource_dependency_graph(
        config.get("resource_defaults") or {}, config["resources"]
    )
    session = requests.Session()
    totals = {"pages": 0, "bytes": 0, "records": 0}
    for name in graph.static_order():
        resource = endpoints[name]
        if not isinstance(resource, dict):
            continue  # a dlt resource of its own: no endpoint
        if resolved.get(name):
            raise ValueError(f"{system}.{name} is fed by another listing: not walked")
        endpoint: Endpoint = resource["endpoint"]  # type: ignore[assignment]
        for key, value in _walk(session, client["base_url"], auth, endpoint, client).items():
            totals[key] += value
    session.close()
    return totals


def _walk(
    session: requests.Session, base_url: str, auth: Any, endpoint: Endpoint, client: Any
) -> dict[str, int]:
    """Every page of one listing, as ``RESTClient.paginate`` requests them."""
    params = dict(endpoint.get("params") or {})
    incremental, param, convert = setup_incremental_object(params, endpoint.get("incremental"))
    if incremental is not None and param is not None:
        # as dlt's rest_api sets them on a fresh pipeline: the last value is the initial
        send = convert or (lambda value: value)
        if param.start:
            params[param.start] = send(incremental.initial_value)
        if param.end:
            params[param.end] = send(incremental.end_value)
    params = expand_placeholders(params, {})
    paginator = copy.deepcopy(
        create_paginator(endpoint.get("paginator") or client.get("paginator"))
    )
    if paginator is None:  # dlt would guess one from the first page: the loaders never ask it to
        raise ValueError(f"no paginator configured for {endpoint.get('path')}")
    selector = str(endpoint.get("data_selector") or "$")
    request = requests.Request(
        "GET", join_url(base_url, str(endpoint.get("path", ""))), params=params, auth=auth
    )
    paginator.init_request(request)
    pages = size = records = 0
    while True:
        response = session.send(session.prepare_request(request))
        response.raise_for_status()
        body = orjson.loads(response.content)
        # the cursor paginator reads the body again: it gets the page decoded once
        response.json = functools.partial(_decoded, body)  # type: ignore[method-assign]
        rows = _rows(body, selector)
        pages, size, records = pages + 1, size + len(response.content), records + len(rows)
        paginator.update_state(response, rows)
        if not paginator.has_next_page:
            break
        paginator.update_request(request)
    return {"pages": pages, "bytes": size, "records": records}


def _decoded(body: Any, **_: Any) -> Any:
    return body


def _rows(body: Any, selector: str) -> list[Any]:
    """The records of a page for the loaders' data selectors (``$``, ``data``, ``$.*``)."""
    if selector == "$":
        return body if isinstance(body, list) else [body]
    if selector == "$.*":
        return list(body.values()) if isinstance(body, dict) else list(body)
    found = body.get(selector) if isinstance(body, dict) else None
    if not isinstance(found, list):
        raise ValueError(f"no list at {selector!r} in the page")
    return found


def source_floor(systems: tuple[str, ...] = SYSTEMS) -> dict[str, Any]:
    """Walk ``systems`` concurrently, one process each (as ``loaders run``).

    Returns:
        ``seconds`` (wall, all sources), and ``pages``, ``bytes``, ``records`` and
        ``seconds`` per source under its name.

    """
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=len(systems)) as pool:
        walked = dict(zip(systems, pool.map(walk_source, systems), strict=True))
    return {"seconds": time.perf_counter() - began, **walked}


def main() -> int:
    """Entry point of ``python -m bench.source_floor``: the figures as one JSON line."""
    print(json.dumps(source_floor()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
