"""Elementary's alerting (``edr monitor``) as the last step of a refresh.

It sends Slack alerts of the failed tests and models of the runs since the last
alert. It runs only when a destination is configured: ``SLACK_WEBHOOK`` (an incoming
webhook), or ``SLACK_TOKEN`` with ``SLACK_CHANNEL_NAME``; otherwise the task is
skipped and says why.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from orchestration.settings import ROOT, bin_path, dbt_target


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
