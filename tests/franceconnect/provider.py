"""A fake federation at the HTTP edge: the portal's real client and the real ``requests``
run, and only the transport is ours (``requests.Session.get_adapter``), answering
discovery, token, JWKS and userinfo as FranceConnect v2 and ProConnect do, with ID tokens
and userinfo signed by a key pair generated here. Knobs let a test break one thing at a
time. FranceConnect by default; ProConnect's tests give their issuer, client and agent."""

import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from requests.adapters import BaseAdapter

ISSUER = "https://fc.test/api/v2"
DISCOVERY_URL = f"{ISSUER}/.well-known/openid-configuration"
CLIENT_ID = "client-de-la-mairie"
CLIENT_SECRET = "secret-de-la-mairie"

ANGELA = {
    "sub": "b6048e95bb134ec5b1d1e1fa69f287172e91722b9c8d2a6d1f0e3c0c4dbb3a2fv1",
    "given_name": "Angela Claire Louise",
    "family_name": "DUBOIS",
    "birthdate": "1962-08-24",
    "gender": "female",
    "birthplace": "75107",
    "birthcountry": "99100",
    "preferred_username": "",
    "email": "angela.dubois@example.org",
}


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def public_jwk(private_key, *, kid: str, alg: str) -> dict:
    algorithm = jwt.algorithms.RSAAlgorithm if alg == "RS256" else jwt.algorithms.ECAlgorithm
    return {**json.loads(algorithm.to_jwk(private_key.public_key())), "kid": kid, "alg": alg}


@dataclass
class FakeFranceConnect:
    """What a test may change: the claims, the signing key, a failure of one endpoint."""

    identity: dict = field(default_factory=lambda: dict(ANGELA))
    issuer: str = ISSUER
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    acr: str = "eidas1"
    key: object = field(default_factory=rsa_key)
    alg: str = "RS256"
    kid: str = "fc-2026"
    # Signs with this key instead (under the published kid): a forged token.
    forged_with: object = None
    id_token_claims: dict = field(default_factory=dict)  # merged over the normal claims
    userinfo_as_json: bool = False
    timeout_on: str = ""  # "token", "userinfo", "jwks", "discovery"
    status_on: dict = field(default_factory=dict)  # {"token": 500}
    # A raw answer instead of the normal one: {"token": ("text/html", "<html>…")}.
    raw_on: dict = field(default_factory=dict)
    # Filled as calls come: (method, path, timeout).
    calls: list = field(default_factory=list)
    codes: dict = field(default_factory=dict)
    nonce_override: str | None = None

    # The browser's side: the redirect the portal sends to, and FranceConnect's answer.

    def authorize(self, location: str) -> dict:
        """Read the authorization request; returns its parameters."""
        parts = urlsplit(location)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{self.issuer}/authorize"
        return {name: values[0] for name, values in parse_qs(parts.query).items()}

    def code_for(self, params: dict) -> str:
        code = f"code-{len(self.codes) + 1}"
        self.codes[code] = params["nonce"]
        return code

    # The server's side, through requests.

    def jwks(self) -> dict:
        return {"keys": [public_jwk(self.key, kid=self.kid, alg=self.alg)]}

    def sign(self, claims: dict) -> str:
        return jwt.encode(
            claims, self.forged_with or self.key, algorithm=self.alg, headers={"kid": self.kid}
        )

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": self.identity["sub"],
            "iat": now,
            "exp": now + 60,
            "nonce": self.nonce_override if self.nonce_override is not None else nonce,
            "acr": self.acr,
            "amr": ["pwd"],
        }
        claims.update(self.id_token_claims)
        return self.sign({key: value for key, value in claims.items() if value is not None})

    def answer(self, method: str, url: str, body: str, headers) -> tuple[int, str, object]:
        path = urlsplit(url).path.removeprefix("/api/v2")
        name = {
            "/.well-known/openid-configuration": "discovery",
            "/token": "token",
            "/userinfo": "userinfo",
            "/jwks": "jwks",
        }.get(path, "")
        if name and name == self.timeout_on:
            raise requests.exceptions.ReadTimeout(f"fake FranceConnect: {name} hangs")
        if name in self.raw_on:
            content_type, body = self.raw_on[name]
            return 200, content_type, body
        if name in self.status_on:
            return self.status_on[name], "application/json", {"error": "server_error"}
        if name == "discovery":
            return 200, "application/json", discovery_document(self.issuer)
        if name == "jwks":
            return 200, "application/json", self.jwks()
        if name == "token":
            form = {key: values[0] for key, values in parse_qs(body).items()}
            nonce = self.codes.pop(form.get("code"), None)
            if (
                nonce is None
                or form.get("client_id") != self.client_id
                or form.get("client_secret") != self.client_secret
            ):
                return 400, "application/json", {"error": "invalid_grant"}
            tokens = {"access_token": "at-1", "token_type": "Bearer", "expires_in": 60}
            return 200, "application/json", {**tokens, "id_token": self.id_token(nonce)}
        if name == "userinfo":
            if headers.get("Authorization") != "Bearer at-1":
                return 401, "application/json", {"error": "invalid_token"}
            if self.userinfo_as_json:
                return 200, "application/json", self.identity
            claims = {**self.identity, "iss": self.issuer, "aud": self.client_id}
            return 200, "application/jwt", self.sign(claims)
        return 404, "application/json", {"error": "not_found"}


def discovery_document(issuer: str = ISSUER) -> dict:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks",
        "end_session_endpoint": f"{issuer}/session/end",
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
    }


class FakeAdapter(BaseAdapter):
    """The transport: every request to fc.test goes to the fake; nothing leaves the machine."""

    def __init__(self, provider: FakeFranceConnect):
        super().__init__()
        self.provider = provider

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        body = request.body.decode() if isinstance(request.body, bytes) else request.body or ""
        self.provider.calls.append((request.method, urlsplit(request.url).path, timeout))
        status, content_type, payload = self.provider.answer(
            request.method, request.url, body, request.headers
        )
        response = requests.Response()
        response.status_code = status
        response.headers["Content-Type"] = content_type
        response._content = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        # The body is already here: iter_content (a streamed read) serves it from memory.
        response._content_consumed = True
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def route_to(fake, *, prefix: str, monkeypatch) -> None:
    """Every request to ``prefix`` goes to ``fake``; the others take the real transport."""
    adapter = FakeAdapter(fake)
    real_get_adapter = requests.Session.get_adapter

    def get_adapter(session, url):
        if url.startswith(prefix):
            return adapter
        return real_get_adapter(session, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
