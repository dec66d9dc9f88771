"""Keep credentials out of everything the loaders write: messages, logs and dlt traces.

Credentials travel in headers (Workfront's ``apiKey`` and ``sessionID``, bearer
tokens), never in URLs. A URL that still names one (a ``sessionID=`` or ``apiKey=``
query parameter, an ``access_token=`` in a redirect) is redacted on the response
itself, before ``requests`` or dlt build an error message from it: dlt saves the text
of a failed step's exception in its trace (``<pipelines dir>/<pipeline>/trace.pickle``).
"""

from __future__ import annotations

import re
from typing import Any

import requests

from loaders.pages import SENSITIVE_PARAMS, safe_url

#: ``name=value`` pairs of credential-like query parameters inside any text.
_PARAM = re.compile(
    r"(?i)\b(" + "|".join(sorted(SENSITIVE_PARAMS)) + r")=([^&\s'\"#]+)",
)


def redact_response_url(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """A ``requests`` response hook: the response's URL without credential values.

    ``HTTPError`` messages, dlt's retry warnings and the page checks all read
    ``response.url``; the request itself (``response.request``) keeps what was sent.
    """
    if _PARAM.search(response.url):
        response.url = safe_url(response.url)
