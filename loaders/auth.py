"""OAuth 2.0 client credentials that renew the access token before it expires.

dlt's :class:`OAuth2ClientCredentials` keeps a token until the instant its
``expires_in`` runs out, measured from when the client received it. The server
counts from when it issued the token, and a request needs time to arrive, so a
request sent in the token's last moments can reach the API after expiry and get
HTTP 401, which fails the load; a retried request is re-sent with the token it was
first prepared with, so retry delays widen that window. Renewing the token a margin
early leaves room for both: a tenth of its lifetime, at most five minutes, and at
least a second (a busy client or server can hold a request that long between its
token and its arrival), though never more than half the lifetime. A token
the API ends before its time anyway (HTTP 401) is renewed and the request resent once.
"""

from __future__ import annotations

import threading
from typing import Any

from dlt.common import pendulum
from dlt.common.configuration import configspec
from dlt.sources.helpers.rest_client.auth import OAuth2ClientCredentials
from requests import PreparedRequest, Response

#: The longest margin by which a token is renewed early, in seconds.
MAX_EARLY_RENEWAL_SECONDS = 300.0
#: The shortest margin, in seconds (a token living under two seconds gets half its life).
MIN_EARLY_RENEWAL_SECONDS = 1.0

#: Marks a request already resent with a renewed token (it is not resent again).
RENEWED = "_sent_with_renewed_token"
#: One renewal at a time: the pages of several resources are read in dlt's extract
#: threads (``loaders/arrow_pages.py``), and requests that meet an expired token at
#: once share one renewal. Module-level: dlt copies the credentials' configuration.
_RENEWAL = threading.Lock()


@configspec
class RenewingOAuth2ClientCredentials(OAuth2ClientCredentials):
    """Client credentials whose access token is renewed before the server expires it."""

    def obtain_token(self) -> None:
        """Obtain a token, then count it as expired a margin before its real expiry."""
        requested = pendulum.now()
        super().obtain_token()
        lifetime = max(0.0, (self.token_expiry - requested).total_seconds())
        margin = min(
            MAX_EARLY_RENEWAL_SECONDS,
            max(lifetime / 10, min(MIN_EARLY_RENEWAL_SECONDS, lifetime / 2)),
        )
        self.token_expiry = self.token_expiry.subtract(microseconds=int(margin * 1_000_000))

    def token_header(self, token: Any) -> tuple[str, str]:
        """The header that carries ``token``: a bearer ``Authorization`` header."""
        return "Authorization", f"Bearer {token}"

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        """Attach the token (renewed first when it expires), renewing it once on a 401."""
        with _RENEWAL:
            if self.access_token is None or self.is_token_expired():
                self.obtain_token()
            name, value = self.token_header(self.access_token)
        request.headers[name] = value
        return self.renew_on_401(request)

    def renew_on_401(self, request: PreparedRequest) -> PreparedRequest:
        """Have a 401 answer to ``request`` renew the token and resend it once.

        An API may end a token before its announced lifetime (rotation, revocation,
        a restart that forgets sessions). As :class:`requests.auth.HTTPDigestAuth`
        does, a response hook obtains a new token and resends a copy of the request;
        a second 401 stands, and the load fails with the credentials error.
        """
        if not getattr(request, RENEWED, False):
            request.register_hook("response", self._resend_with_new_token)
        return request

    def _resend_with_new_token(self, response: Response, **kwargs: Any) -> Response:
        if response.status_code != 401 or response.connection is None:
            return response
        with _RENEWAL:
            name, value = self.token_header(self.access_token)
            if response.request.headers.get(name) == value:
                self.obtain_token()  # else another request renewed it since this was sent
        retry = response.request.copy()
        setattr(retry, RENEWED, True)
        retry = self(retry)
        response.close()
        renewed: Response = response.connection.send(retry, **kwargs)
        renewed.history.append(response)
        renewed.request = retry
        return renewed
