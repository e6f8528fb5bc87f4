"""The citizen's address as our own proxies saw it, for throttling (django-axes).

Behind ``TRUSTED_PROXY_COUNT`` trusted proxies, each proxy appends the address it
received the request from to ``X-Forwarded-For``. Counting from the right, the
entries our proxies wrote come last: the one at position ``-TRUSTED_PROXY_COUNT``
was written by the outermost proxy and is the client's address. Everything to
its left was sent by the client and proves nothing, so sending extra entries
cannot choose the address that is counted.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The right-most untrusted address of the request (``REMOTE_ADDR`` without proxies)."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < proxies:
        # Not through all our proxies (a direct connection): the peer is the client.
        return remote
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
