"""The failure callback of every task posts a Slack message, and only when configured."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

import pytest

from orchestration import alerting
from orchestration.settings import default_args


def _context() -> dict[str, Any]:
    """The parts of an Airflow task context the callback reads: a failed mapped task."""
    ti = SimpleNamespace(
        dag_id="elt_micro_batch",
        task_id="load_bynder",
        map_index=-1,
        run_id="manual__2026-12-03T10:00:00+00:00",
        try_number=4,
        log_url="http://127.0.0.1:8080/dags/elt_micro_batch/runs/x/tasks/load_bynder",
    )
    return {
        "task_instance": ti,
        "run_id": ti.run_id,
        "exception": RuntimeError("loaders exited with 1: bynder answered 503"),
    }


def test_every_task_default_has_the_failure_callback() -> None:
    assert default_args()["on_failure_callback"] is alerting.on_failure


def test_failure_posts_a_slack_message_to_the_webhook(
    webhook: tuple[str, list[dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, received = webhook
    monkeypatch.setenv("SLACK_WEBHOOK", url)
    monkeypatch.delenv("SLACK_TOKEN", raising=False)
    with caplog.at_level(logging.INFO, logger=alerting.__name__):
        alerting.on_failure(_context())
    assert len(received) == 1
    message = received[0]
    # Slack's incoming-webhook shape: a text fallback and Block Kit blocks
    assert "elt_micro_batch.load_bynder" in message["text"]
    assert {block["type"] for block in message["blocks"]} >= {"header", "section"}
    body = json.dumps(message)
    assert "bynder answered 503" in body
    assert "manual__2026-12-03T10:00:00+00:00" in body
    assert "try 4" in message["text"]
    # the webhook URL is a credential: never in the logs
    assert "sent to Slack" in caplog.text
    assert url not in caplog.text and "/services/" not in caplog.text


def test_failure_posts_with_a_token_to_the_channel(
    webhook: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, received = webhook
    monkeypatch.delenv("SLACK_WEBHOOK", raising=False)
    monkeypatch.setenv("SLACK_TOKEN", "xoxb-not-a-real-token")
    monkeypatch.setenv("SLACK_CHANNEL_NAME", "data-alerts")
    monkeypatch.setattr(alerting, "SLACK_API_URL", url.rsplit("/services/", 1)[0] + "/api/")
    alerting.on_failure(_context())
    assert len(received) == 1
    assert received[0]["channel"] == "data-alerts"
    assert "elt_micro_batch.load_bynder" in received[0]["text"]


def test_no_destination_sends_nothing_and_says_why(
    webhook: tuple[str, list[dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, received = webhook
    for name in ("SLACK_WEBHOOK", "SLACK_TOKEN", "SLACK_CHANNEL_NAME"):
        monkeypatch.delenv(name, raising=False)
    with caplog.at_level(logging.INFO, logger=alerting.__name__):
        alerting.on_failure(_context())
    assert received == []
    assert "set SLACK_WEBHOOK" in caplog.text


def test_an_unreachable_webhook_never_raises_nor_prints_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = "http://127.0.0.1:9/services/T0/B0/private-part"
    monkeypatch.setenv("SLACK_WEBHOOK", unreachable)
    # every logger at INFO, as in an Airflow task's log: slack_sdk's clients log the URL
    # of a retried request at INFO
    with caplog.at_level(logging.INFO):
        alerting.on_failure(_context())  # port 9 (discard): connection refused
    assert "not sent" in caplog.text
    assert "private-part" not in caplog.text
