"""The sandbox's responses are pinned byte for byte: a digest per listing and per page.

:mod:`tests.sandbox.test_determinism` checks that two servers agree with each other;
these tests check that they agree with the code as it was when the digests were taken,
so an optimisation of the record builders cannot change a single byte unnoticed.
A deliberate change of the data (a new field, another draw) must update the digests
here, and say so in its commit.

The in-process digests cover every record version of every entity (deleted ones
included) with a high defect rate, so the injected defects, duplicates and stale
versions are all in them; the rendering is done twice so the second pass reads the
caches. The HTTP digests cover what the three APIs add around the records.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

import orjson

from sandbox.handle import start_sandbox
from sandbox.settings import SandboxSettings
from sandbox.world import World
from tests.conftest import SandboxHandle
from tests.sandbox.test_determinism import ARGS, snapshot

#: sha256 of every rendered version of each entity (updated order, deleted included).
ENTITY_DIGESTS: dict[str, str] = {
    "agents": "76e122ab130fa80de9ba4f786080913c7c1f80962fb7360f358534f38555106c",
    "customers": "763389043e156fcf1c59b8322139c1aa6b1e7911bc0faa1ef323d2d1dffb0b53",
    "calls": "d20d1e3abb2f29b272ecbb7536d8873681773d1a4d2da04aa81d132b5b9f607a",
    "surveys": "a2e42ab5f4a100e1a053d63885766e04f12b48dc9b7ad2ab68b3ad13a002bf1f",
    "campaigns": "eabdd1e6b4b162b4aed93d922ccb039eabdf83e62c82ca7d0fa841de3527f5ac",
    "media": "eee7b6088ddb158518cb93909735efe46e68573ea37c466ecb4e636cc676f662",
    "usage": "de1ad694912ba19526c796fb0e764327385e99ee3d62236e19db1bde035f10e5",
    "users": "6cfc30ef1c1cbbb7b0440476eb6c075c0d4fc749b1677f74d79ddd3b709e74ba",
    "projects": "17ec5bcb2d3e33d999f7a057895e267ee1094721294c13b882e2742fba4e32ae",
    "tasks": "7f8d7e865e9779579bd177acee05ec3b798b6e30304d1ecf1e76647869df284a",
    "assignments": "14ae4473b7ac6a646c5a47d56c1a71434ef8cc9c8934a7636c43dcb592e97cf1",
    "hours": "44d343b6d85cfaed37cf4ad219bc845617c194522b1af705859731a986d19913",
}
#: sha256 of the media and calls listings in strict mode with every drift.
STRICT_DRIFT_DIGESTS: dict[str, str] = {
    "media": "edc20a3f434277df931dbbdd04815f1805ee37c9245c7892172e34c756eecd9e",
    "calls": "84df9cb8585d369ece8b9ab84048beeee0c3191ecd91dba8bcfbc9c3ec050d3d",
}
#: sha256 of the ground-truth manifest of injected defects.
MANIFEST_DIGEST = "be26c6bb41d4353507decb5eb042d7d1470783d3a5e91f8f9ae2a4760010d76c"
#: sha256 of each raw response body of :func:`tests.sandbox.test_determinism.snapshot`.
HTTP_DIGESTS: dict[str, str] = {
    "calls-0": "f4d409bec0ff0cdc935e4860b3684559eb2911986b645bbbe17cf48dbacdb550",
    "calls-1": "5d3ce77b5f8d72476a62b2cea02c3be16768ea80313948ceee5bb2862da38469",
    "calls-2": "0257177dbf28c1d3d3c8f9f8958f4154ed076d3d02fc446e3e2972d504569117",
    "customers": "6e6d4f639e36e9ca12449e501e2dc35036f0db27eb0e20f5c7f24bdc4f1a1532",
    "surveys": "fbdc1425d8b8fe6766169881cd4c8b985e27d2629474c24a37e1bb34ff7716ca",
    "media-1": "cb23d7ae86df089ce665c83610f6ddc8fa79de35710edaf31fe462563a9dc744",
    "media-2": "6eef8acb4926aa8270b5bc0a4439f16340e7a7c9c22a57e5e38f182f73036d7c",
    "media-3": "90694ebf6d18d8cde12b95f0ff04c0255cdb082151a2859314d28c0c169612b0",
    "media-modified": "dca8c2957239de6072154f7baed043462415f6eabb7f0b2c5b8a520d563170fe",
    "usage": "afb4ea012bf7916e4ae9268458e5ce2deae234a7486e2996c8ef4235fe9f3fe3",
    "removed": "fda0f09dcb931d245e580000a784a652f3a6facc61a303cc79be3740b5567f78",
    "campaigns": "8c8db9446eb6815e2bc8e98f37954e3fcde8e47107fb91def10aae75d7948a0c",
    "metaproperties": "bb5cfc58274957672959a5af4b901037d0a963032544ddb4f798d7738352c3d4",
    "proj-0": "83260659068e1bd75146e201113f75e6c2219460ac47ea28e8207fafc1ba725a",
    "proj-20": "ae10f08b8279d2de65484b22270519af34cbd9701611db9a58bc0770d4f49ce1",
    "task-0": "99ba945e0d86f4da98c7c914a6ec16780dc210f17c6da1d9ad3904347feff67c",
    "task-20": "a60a8330bbbd1f50db289dcbfb8055d662a4d2bbaf518d2c45eafc3612b46b9c",
    "hour-0": "3ad4d655405c12365add4ad92de496cde9209513c0a9da1774e1714d0f0943a8",
    "hour-20": "c400872d72a041b16c26cda52a434142338f3a378efcbc8d8480198b0b78f800",
    "assgn-0": "76fc19cc09949f6e5a10a80c6fddae69e685c3b8873de1640146fa970bff8384",
    "assgn-20": "6104e6a1ba6d5ba6203b0a7f2cec13248db5dbf5b407918072bbcd587a23b1f2",
    "tasks-updated": "f4d6db543927f5e2dc8097b7d3dc8c1780322edc8290dfaa9c6cab62bbdac409",
    "journal": "8fe32e407a1038ee38753b70e5374b3a46d6ae9d5f16cd5b73c53abaca8f5ed0",
}


def _digest(world: World, name: str) -> str:
    """sha256 of the JSON of every version in ``name``'s updated and created orders."""
    entity = world.entity(name)
    now = world.now_ms()
    digest = hashlib.sha256()
    for listing in (
        entity.updated_order(0, None, now, include_deleted=True),
        entity.created_order(0, None, now, include_deleted=True),
    ):
        for i in range(listing.n_chunks):
            for item in listing.chunk(i):
                digest.update(orjson.dumps(entity.render(item)))
                digest.update(b"\n")
    if name == "media":
        for item in entity.removed_listing(0, now):  # type: ignore[attr-defined]
            digest.update(orjson.dumps(entity.render_removed(item)))  # type: ignore[attr-defined]
    return digest.hexdigest()


def _world(**overrides: object) -> World:
    settings = {"scale": 0.001, "history_days": 2, "defect_rate": 0.05, **overrides}
    return World(SandboxSettings(**settings))  # type: ignore[arg-type]


def entity_digests(world: World) -> dict[str, str]:
    """Each entity's digest, computed twice (cold caches, then warm) and checked equal."""
    first = {name: _digest(world, name) for name in world.entities}
    second = {name: _digest(world, name) for name in world.entities}
    assert first == second, "a second rendering (from the caches) differs from the first"
    return first


def strict_drift_digests() -> dict[str, str]:
    """Digests of media and calls in strict mode with every drift from the history's start."""
    world = _world(
        strict=True, drift=("renamed", "added", "retyped"), drift_at="2026-11-01T00:00:00Z"
    )
    return {name: _digest(world, name) for name in ("media", "calls")}


def manifest_digest() -> str:
    """Digest of the defect manifest (at least 100 rows)."""
    manifest = _world().manifest()
    assert len(manifest) > 100
    return hashlib.sha256(orjson.dumps(manifest)).hexdigest()


def http_digests(handle: SandboxHandle) -> dict[str, str]:
    """Digest of each raw body of the determinism test's snapshot of a server."""
    return {name: hashlib.sha256(body).hexdigest() for name, body in snapshot(handle).items()}


def test_every_entity_renders_the_pinned_bytes() -> None:
    assert entity_digests(_world()) == ENTITY_DIGESTS


def test_strict_and_drifted_media_render_the_pinned_bytes() -> None:
    assert strict_drift_digests() == STRICT_DRIFT_DIGESTS


def test_defect_manifest_is_pinned() -> None:
    assert manifest_digest() == MANIFEST_DIGEST


def test_http_pages_are_pinned(sandbox_factory: Callable[..., SandboxHandle]) -> None:
    assert http_digests(sandbox_factory(*ARGS)) == HTTP_DIGESTS


def main() -> None:
    """Print the current digests, to paste above after a deliberate change of the data.

    ``.venv/bin/python -m tests.sandbox.test_golden_bytes`` (starts a sandbox server).
    """
    with tempfile.TemporaryDirectory() as folder:
        handle = start_sandbox(Path(folder) / "sandbox", *ARGS)
        try:
            served = http_digests(handle)
        finally:
            handle.stop()
    print(f"ENTITY_DIGESTS = {entity_digests(_world())!r}")
    print(f"STRICT_DRIFT_DIGESTS = {strict_drift_digests()!r}")
    print(f"MANIFEST_DIGEST = {manifest_digest()!r}")
    print(f"HTTP_DIGESTS = {served!r}")


if __name__ == "__main__":
    main()
