"""A simulated identity federation: a small OpenID provider served by the portal itself.

For the embedded default and the demo (``make run``), like the simulated card page of
payments: a page offers a few test identities, and the portal's client talks to it over
HTTP exactly as it talks to the real federation (token, JWKS, userinfo as a signed JWT,
end-session), so the whole flow runs with no account anywhere. FranceConnect
(``franceconnect.simulated``) and ProConnect (``staff_login.proconnect_simulated``) each
make one. Its views answer 404 unless ``allowed()`` says so: the federation's SIMULATED
setting with DEBUG, or a demo server's explicit consent (settings refuse to start
otherwise).

Its signing key (RSA, RS256) is made on first use and kept under VAR_DIR, so that every
process of one checkout signs with the same key. The server calls itself: the threaded
development server does, and the demo stack's several gunicorn workers do.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.oidc.config import ProviderConfig
from common.oidc.start import only_when

ALGORITHM = "RS256"
# A code and an access token live a minute, as the federations' do.
LIFETIME_SECONDS = 60


@dataclass(frozen=True)
class SimulatedProvider:
    name: str  # as shown on its pages: « FranceConnect », « ProConnect »
    namespace: str  # of its URLs
    client_id: str
    key_file: str  # under VAR_DIR
    key_id: str
    identities: dict  # key → the userinfo claims, ``sub`` included
    acr: str
    callback: str  # URL name of the portal's callback, the only return address
    logged_out: str  # URL name of the portal's return from the end-session
    allowed: Callable[[], bool]
    label: Callable[[dict], str]  # an identity's choice on the page

    # Secrets and keys

    def client_secret(self) -> str:
        """Derived from SECRET_KEY: nothing to configure, nothing the same on two servers."""
        return salted_hmac(f"{self.namespace}", "client-secret").hexdigest()

    def key_path(self) -> Path:
        return Path(settings.VAR_DIR) / self.key_file

    def private_key(self) -> rsa.RSAPrivateKey:
        stored = self.key_path()
        if not stored.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            temporary = stored.with_suffix(f".{time.time_ns()}.tmp")
            temporary.write_bytes(pem)
            temporary.chmod(0o600)
            temporary.replace(stored)  # atomic: two processes starting at once agree on one
        loaded = serialization.load_pem_private_key(stored.read_bytes(), password=None)
        if not isinstance(loaded, rsa.RSAPrivateKey):
            raise TypeError(f"{stored} holds no RSA key")
        return loaded

    def public_jwk(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key().public_key()))
        return {**jwk, "kid": self.key_id, "alg": ALGORITHM, "use": "sig"}

    def sign(self, claims: dict) -> str:
        return jwt.encode(
            claims, self.private_key(), algorithm=ALGORITHM, headers={"kid": self.key_id}
        )

    # Where it is

    def base_url(self, request) -> str:
        return request.build_absolute_uri(reverse(f"{self.namespace}:authorize")).rsplit("/", 2)[0]

    def provider_config(self, request) -> ProviderConfig:
        def absolute(name: str) -> str:
            return request.build_absolute_uri(reverse(f"{self.namespace}:{name}"))

        return ProviderConfig(
            issuer=self.base_url(request),
            authorization_endpoint=absolute("authorize"),
            token_endpoint=absolute("token"),
            userinfo_endpoint=absolute("userinfo"),
            jwks_uri=absolute("jwks"),
            end_session_endpoint=absolute("end_session"),
            client_id=self.client_id,
            client_secret=self.client_secret(),
            algorithms=(ALGORITHM,),
        )

    # The views

    def urls(self) -> tuple[list, str]:
        """(URL patterns, namespace) for ``include``."""
        guarded = only_when(self.allowed)
        return [
            path(
                "autoriser/",
                guarded(require_http_methods(["GET", "POST"])(self.authorize)),
                name="authorize",
            ),
            # Server-to-server calls, authenticated by the client secret or the access token.
            path("jeton/", csrf_exempt(guarded(require_POST(self.token))), name="token"),
            path("utilisateur/", csrf_exempt(guarded(require_GET(self.userinfo))), name="userinfo"),
            path("cles/", guarded(require_GET(self.jwks)), name="jwks"),
            path("deconnexion/", guarded(require_GET(self.end_session)), name="end_session"),
        ], self.namespace

    def refuse(self, request, reason: str):
        context = {"reason": reason, "provider": self.name}
        return render(request, "oidc/simulated_refused.html", context, status=400)

    def choice_form(self, data=None) -> forms.Form:
        field = forms.ChoiceField(
            label="Identité de test",
            choices=[(key, self.label(claims)) for key, claims in self.identities.items()],
            widget=forms.RadioSelect,
            error_messages={"required": "Choisissez une identité de test."},
        )
        form = forms.Form(data)
        form.fields["identity"] = field
        return form

    def authorize(self, request):
        """The provider's login page: pick a test identity, or cancel."""
        params = request.GET
        if params.get("client_id") != self.client_id or params.get("response_type") != "code":
            return self.refuse(request, "Service inconnu du fournisseur d'identité simulé.")
        redirect_uri = params.get("redirect_uri", "")
        if not same_site_path(redirect_uri, request, reverse(self.callback)):
            return self.refuse(request, "Adresse de retour refusée.")
        if not params.get("state") or not params.get("nonce"):
            return self.refuse(request, "Paramètres state et nonce obligatoires.")
        form = self.choice_form(request.POST or None)
        if request.method == "POST":
            if "cancel" in request.POST:
                query = urlencode({"error": "access_denied", "state": params["state"]})
                return HttpResponseRedirect(f"{redirect_uri}?{query}")
            if form.is_valid():
                grant = {
                    "identity": form.cleaned_data["identity"],
                    "nonce": params["nonce"],
                    "redirect_uri": redirect_uri,
                }
                code = signing.dumps(grant, salt=f"{self.namespace}.code")
                query = urlencode({"code": code, "state": params["state"]})
                return HttpResponseRedirect(f"{redirect_uri}?{query}")
        context = {"form": form, "provider": self.name}
        return render(request, "oidc/simulated_authorize.html", context)

    def token(self, request):
        data = request.POST
        if data.get("client_id") != self.client_id or not constant_time_compare(
            data.get("client_secret", ""), self.client_secret()
        ):
            return JsonResponse({"error": "invalid_client"}, status=401)
        try:
            grant = signing.loads(
                data.get("code", ""), salt=f"{self.namespace}.code", max_age=LIFETIME_SECONDS
            )
        except signing.BadSignature:
            return JsonResponse({"error": "invalid_grant"}, status=400)
        if data.get("redirect_uri") != grant["redirect_uri"]:
            return JsonResponse({"error": "invalid_grant"}, status=400)
        # A code serves once. Best effort: while the shared cache is away (django-redis
        # answers None instead of False), the demo goes on without the check.
        first_use = cache.add(f"{self.namespace}:code:{data['code'][-43:]}", 1, 120)
        if first_use is False:
            return JsonResponse({"error": "invalid_grant"}, status=400)
        now = int(time.time())
        id_token = self.sign(
            {
                "iss": self.base_url(request),
                "aud": self.client_id,
                "sub": self.identities[grant["identity"]]["sub"],
                "iat": now,
                "exp": now + LIFETIME_SECONDS,
                "nonce": grant["nonce"],
                "acr": self.acr,
                "amr": ["pwd"],
            }
        )
        access = signing.dumps({"identity": grant["identity"]}, salt=f"{self.namespace}.access")
        return JsonResponse(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": LIFETIME_SECONDS,
                "id_token": id_token,
            }
        )

    def userinfo(self, request):
        """The identity as a signed JWT, as the federations send it."""
        scheme, _, access = request.headers.get("Authorization", "").partition(" ")
        try:
            grant = signing.loads(access, salt=f"{self.namespace}.access", max_age=LIFETIME_SECONDS)
        except signing.BadSignature:
            return JsonResponse({"error": "invalid_token"}, status=401)
        if scheme != "Bearer":
            return JsonResponse({"error": "invalid_token"}, status=401)
        claims = {
            **self.identities[grant["identity"]],
            "iss": self.base_url(request),
            "aud": self.client_id,
        }
        return HttpResponse(self.sign(claims), content_type="application/jwt")

    def jwks(self, request):
        return JsonResponse({"keys": [self.public_jwk()]})

    def end_session(self, request):
        """The federation's logout: ends its session, then back to the portal with the state."""
        target = request.GET.get("post_logout_redirect_uri", "")
        if not request.GET.get("id_token_hint") or not same_site_path(
            target, request, reverse(self.logged_out)
        ):
            return self.refuse(request, "Demande de déconnexion incomplète.")
        try:
            jwt.decode(
                request.GET["id_token_hint"],
                self.private_key().public_key(),
                algorithms=[ALGORITHM],
                audience=self.client_id,
                options={"verify_exp": False},
            )
        except jwt.PyJWTError:
            return self.refuse(request, "Jeton d'identité inconnu.")
        query = urlencode({"state": request.GET.get("state", "")})
        return HttpResponseRedirect(f"{target}?{query}")


def same_site_path(url: str, request, expected_path: str) -> bool:
    """A return address of the portal itself: the simulated provider redirects nowhere else."""
    parts = urlsplit(url)
    return parts.netloc == request.get_host() and parts.path == expected_path
