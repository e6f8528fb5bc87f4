"""Stripe faked at the very edge: the SDK's HTTP client answers like Stripe's API, with
realistic JSON, so that our module and the SDK itself (encoding, headers, parsing) run.

Webhooks are signed here as Stripe signs them: HMAC-SHA256 of "{timestamp}.{payload}"
with the endpoint's secret, in the ``Stripe-Signature`` header.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import stripe

SECRET_KEY = "sk_test_51PortailCitoyenFakeKeyForTests"
WEBHOOK_SECRET = "whsec_test_portail_citoyen_webhook_secret"
API_VERSION = "2026-10-28.endive"


def signature_header(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp=None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_json(session: dict, *, event_type: str, event_id: str) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": session},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
    )


def unflatten(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (line_items[0][price_data][unit_amount]=1250) back to a dict."""
    result: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


class FakeStripe(stripe.HTTPClient):
    """Stripe's API for Checkout Sessions, in memory. ``requests`` records what was sent."""

    name = "fake-stripe"

    def __init__(self):
        super().__init__()
        self.sessions: dict[str, dict] = {}
        self.by_idempotency_key: dict[str, str] = {}
        self.requests: list[dict] = []
        self.down = False
        # Called (then forgotten) when a session is next retrieved: races are staged here.
        self.on_retrieve: Callable[[], None] | None = None
        # When set, every retrieval waits there: threads all hold Stripe's answer, then go on.
        self.retrieve_barrier: threading.Barrier | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # The HTTP edge.

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        if self.down:
            raise stripe.APIConnectionError("Could not connect to Stripe (api.stripe.com).")
        path = urlsplit(url).path
        params = unflatten(parse_qsl(post_data or urlsplit(url).query))
        with self._lock:
            self.requests.append(
                {"method": method, "path": path, "headers": dict(headers), "params": params}
            )
        if method == "post" and path == "/v1/checkout/sessions":
            return self.create(params, headers.get("Idempotency-Key"))
        session_id = path.split("/")[4] if path.count("/") >= 4 else ""
        if method == "get" and session_id in self.sessions:
            hook, self.on_retrieve = self.on_retrieve, None
            if hook is not None:
                hook()
            if self.retrieve_barrier is not None:
                self.retrieve_barrier.wait(timeout=30)
            return self.answer(self.sessions[session_id])
        if method == "post" and path.endswith("/expire") and session_id in self.sessions:
            return self.expire(session_id)
        return self.error(404, "resource_missing", f"No such checkout.session: '{session_id}'")

    def close(self):
        pass

    # Stripe's behaviour.

    def create(self, params: dict, idempotency_key: str | None):
        with self._lock:
            if idempotency_key in self.by_idempotency_key:
                return self.answer(self.sessions[self.by_idempotency_key[idempotency_key]])
            number = next(self._ids)
            session_id = f"cs_test_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6_{number}"
            total = sum(
                int(item["price_data"]["unit_amount"]) * int(item["quantity"])
                for item in params["line_items"].values()
            )
            self.sessions[session_id] = session_json(session_id, params, total)
            if idempotency_key:
                self.by_idempotency_key[idempotency_key] = session_id
        return self.answer(self.sessions[session_id])

    def expire(self, session_id: str):
        session = self.sessions[session_id]
        if session["status"] != "open":
            return self.error(
                400,
                "checkout_session_not_expirable",
                'Only Checkout Sessions with a status in ["open"] can be expired.',
            )
        session.update(status="expired", url=None)
        return self.answer(session)

    def complete(self, session_id: str) -> dict:
        """The citizen paid on Stripe's page."""
        self.sessions[session_id].update(
            status="complete",
            payment_status="paid",
            url=None,
            payment_intent="pi_3QxYzAbCdEfGhIjK0a1b2c3d",
            customer_details={
                "address": None,
                "email": "camille.martin@example.org",
                "name": "Camille Martin",
                "phone": None,
                "tax_exempt": "none",
                "tax_ids": [],
            },
        )
        return self.sessions[session_id]

    @staticmethod
    def answer(body: dict):
        return (
            json.dumps(body),
            200,
            {"request-id": "req_FakeStripe123", "stripe-version": API_VERSION},
        )

    @staticmethod
    def error(status: int, code: str, message: str):
        body = {"error": {"code": code, "message": message, "type": "invalid_request_error"}}
        return json.dumps(body), status, {"request-id": "req_FakeStripeErr"}


def session_json(session_id: str, params: dict, total: int) -> dict:
    """A Checkout Session as Stripe's API returns it (test mode)."""
    return {
        "id": session_id,
        "object": "checkout.session",
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": total,
        "amount_total": total,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": params["cancel_url"],
        "client_reference_id": params.get("client_reference_id"),
        "consent": None,
        "created": int(time.time()),
        "currency": params["line_items"]["0"]["price_data"]["currency"],
        "customer": None,
        "customer_creation": "if_required",
        "customer_details": None,
        "customer_email": params.get("customer_email"),
        "expires_at": int(params["expires_at"]),
        "invoice": None,
        "livemode": False,
        "locale": params.get("locale"),
        "metadata": params.get("metadata", {}),
        "mode": "payment",
        "payment_intent": None,
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "submit_type": None,
        "success_url": params["success_url"],
        "ui_mode": "hosted",
        "url": f"https://checkout.stripe.com/c/pay/{session_id}#fidkdWxOYHwnPyd1blpxYHZxWjA0",
    }
