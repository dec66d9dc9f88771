"""Alerts to Slack: Elementary's (``edr monitor``) and Airflow's failed tasks.

* :func:`send_alerts`, the last step of a refresh: Slack alerts of the failed tests
  and models of the runs since the last alert (``edr monitor``).
* :func:`on_failure`, the ``on_failure_callback`` of every task (``default_args``): a
  Slack message naming the DAG, the task, the run, the try and the error, when a task
  has failed for good (its retries spent).

Both send only when a destination is configured, as edr takes it: ``SLACK_WEBHOOK``
(an incoming webhook), or ``SLACK_TOKEN`` with ``SLACK_CHANNEL_NAME``; otherwise they
send nothing and say why. Neither ever prints the webhook URL or the token.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orchestration.settings import ROOT, bin_path, dbt_target

log = logging.getLogger(__name__)
#: the logger handed to slack_sdk's clients: they log the request URL (a webhook URL is
#: the webhook's credential) when a post fails or is retried, so nothing of theirs may
#: reach a handler; :func:`on_failure` logs the outcome itself, without the URL. Made
#: outside logging's registry, so no logging configuration (Airflow's included) can
#: lower its level or give it a handler again.
_slack_sdk_log = logging.Logger(f"{__name__}.slack_sdk", level=logging.CRITICAL + 1)
_slack_sdk_log.propagate = False
_slack_sdk_log.addHandler(logging.NullHandler())

#: Slack's Web API (``chat.postMessage`` with ``SLACK_TOKEN``)
SLACK_API_URL = "https://slack.com/api/"
#: the longest error text an alert quotes
MAX_ERROR_CHARS = 1500


def monitor_command() -> list[str] | None:
    """The ``edr monitor`` command, or None when no alert destination is configured.

    Through ``scripts/edr.sh``: the project's edr settings (no usage tracking, no
    version check), its ``elementary`` profile and the warehouse as an absolute path.
    """
    base = [str(ROOT / "scripts" / "edr.sh"), "monitor"]
    webhook = os.environ.get("SLACK_WEBHOOK")
    if webhook:
        return [*base, "--slack-webhook", webhook]
    token, channel = os.environ.get("SLACK_TOKEN"), os.environ.get("SLACK_CHANNEL_NAME")
    if token and channel:
        return [*base, "--slack-token", token, "--slack-channel-name", channel]
    return None


def send_alerts() -> None:
    """Run ``edr monitor``; skip the task when no Slack destination is configured."""
    from airflow.sdk.exceptions import AirflowSkipException

    command = monitor_command()
    if command is None:
        raise AirflowSkipException(
            "no alert destination: set SLACK_WEBHOOK, or SLACK_TOKEN and SLACK_CHANNEL_NAME, "
            "to send Elementary's alerts (edr monitor)"
        )
    environment = {
        **os.environ,
        "RUN": "",  # edr from this environment, not through uv
        "DBT_TARGET": dbt_target(),
        "PATH": f"{Path(bin_path('edr')).parent}:{os.environ.get('PATH', '')}",
    }
    subprocess.run(command, cwd=ROOT, check=True, env=environment)


def failure_message(context: Mapping[str, Any]) -> dict[str, Any]:
    """The Slack message (``text`` and ``blocks``) of a failed task's Airflow context."""
    ti = context.get("task_instance") or context.get("ti")
    dag_id = getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    map_index = getattr(ti, "map_index", -1)
    if isinstance(map_index, int) and map_index >= 0:
        task_id = f"{task_id}[{map_index}]"
    run_id = context.get("run_id") or getattr(ti, "run_id", "?")
    try_number = getattr(ti, "try_number", "?")
    error = str(context.get("exception") or "no exception recorded").strip()
    if len(error) > MAX_ERROR_CHARS:
        error = "…" + error[-MAX_ERROR_CHARS:]
    text = f":red_circle: Airflow task failed: {dag_id}.{task_id} (run {run_id}, try {try_number})"
    fields = [
        f"*DAG*\n{dag_id}",
        f"*Task*\n{task_id}",
        f"*Run*\n{run_id}",
        f"*Try*\n{try_number}",
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Airflow task failed"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Error*\n```{error}```"}},
    ]
    log_url = getattr(ti, "log_url", None)
    if log_url:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{log_url}|log>"}]}
        )
    return {"text": text, "blocks": blocks}


def on_failure(context: Mapping[str, Any]) -> None:
    """``on_failure_callback`` of every task: post the failure to Slack.

    Sends to ``SLACK_WEBHOOK``, else with ``SLACK_TOKEN`` to ``SLACK_CHANNEL_NAME``;
    nothing when neither is set. A failed post is logged (status only, never the
    destination) and never raised: an alert must not fail the task's own handling.
    """
    message = failure_message(context)
    webhook = os.environ.get("SLACK_WEBHOOK")
    token, channel = os.environ.get("SLACK_TOKEN"), os.environ.get("SLACK_CHANNEL_NAME")
    try:
        if webhook:
            from slack_sdk.webhook import WebhookClient

            response = WebhookClient(webhook, timeout=10, logger=_slack_sdk_log).send_dict(message)
            status = f"HTTP {response.status_code}"
            sent = response.status_code == 200
        elif token and channel:
            from slack_sdk import WebClient

            answer = WebClient(
                token=token, base_url=SLACK_API_URL, timeout=10, logger=_slack_sdk_log
            ).chat_postMessage(channel=channel, text=message["text"], blocks=message["blocks"])
            status, sent = f"HTTP {answer.status_code}", bool(answer.get("ok"))
        else:
            log.info(
                "failure alert not sent: set SLACK_WEBHOOK, or SLACK_TOKEN and "
                "SLACK_CHANNEL_NAME, to send failed tasks to Slack"
            )
            return
    except Exception as exc:  # an alert never fails the failure handling
        log.warning("failure alert to Slack not sent: %s", type(exc).__name__)
        return
    if sent:
        log.info("failure alert sent to Slack (%s)", status)
    else:
        log.warning("failure alert to Slack refused (%s)", status)
