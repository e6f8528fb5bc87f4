"""Reading an answer of an identity provider within bounds: a size and a total time.

``requests`` applies its timeout to each read of the socket, not to the whole answer, and
reads a body of any size into memory: a provider (or whoever answers in its place) that
sends a byte every few seconds, or a gigabyte, would hold a worker or exhaust its memory.
Every call to the provider goes through ``fetch``, which streams the body and stops at
MAX_ANSWER_BYTES or when OIDC_TIMEOUT has passed in all, with ProviderUnavailable.
"""

import json
import time

import requests

from common.oidc.errors import ProviderUnavailable
from common.validators import small_number

# A federation's largest answer (a JWKS of a few keys, a signed userinfo) is a few KiB.
MAX_ANSWER_BYTES = 256 * 1024
CHUNK_BYTES = 16 * 1024


def fetch(method: str, url: str, *, timeout: float, **kwargs) -> requests.Response:
    """The response with its body read (``.content``, ``.json()`` work as usual)."""
    started = time.monotonic()
    response = requests.request(method, url, timeout=timeout, stream=True, **kwargs)
    try:
        # Not a plain number (« ² », ten digits or more): the body's reading below bounds it.
        declared = small_number(response.headers.get("Content-Length", ""))
        if declared is not None and declared > MAX_ANSWER_BYTES:
            raise ProviderUnavailable(f"answer of {declared} bytes announced")
        body = bytearray()
        for chunk in response.iter_content(chunk_size=CHUNK_BYTES):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise ProviderUnavailable(f"answer over {MAX_ANSWER_BYTES} bytes")
            if time.monotonic() - started > timeout:
                raise ProviderUnavailable("answer slower than the timeout in all")
    finally:
        response.close()
    # What requests itself does once a body is read, so that its own methods serve it.
    response._content = bytes(body)
    response._content_consumed = True  # type: ignore[attr-defined]
    return response


def json_object(response: requests.Response) -> dict:
    """The body as a JSON object; ValueError for anything else (a list, HTML, a string)."""
    document = json.loads(response.content)
    if not isinstance(document, dict):
        raise ValueError(f"a JSON {type(document).__name__} where an object was expected")
    return document
