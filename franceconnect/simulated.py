"""The simulated FranceConnect: a small OpenID provider served by the portal itself.

For the embedded default and the demo (``make run``), like the simulated card page of
payments: a page offers three test identities, and the portal's client talks to it over
HTTP exactly as it talks to FranceConnect (token, JWKS, userinfo as a signed JWT,
end-session), so the whole flow runs with no account anywhere. Its views answer 404
unless ``FRANCECONNECT_SIMULATED`` is on with DEBUG, or a demo server allows it
explicitly (``FRANCECONNECT_ALLOW_SIMULATED``; settings refuse to start otherwise).

Its signing key (RSA, RS256) is made on first use and kept under VAR_DIR, so that every
process of one checkout signs with the same key. The server calls itself: the threaded
development server does, and the demo stack's several gunicorn workers do.
"""

import json
import time
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from franceconnect.config import ProviderConfig, simulated_allowed

CLIENT_ID = "espace-citoyen-demonstration"
KEY_ID = "simule-1"
ALGORITHM = "RS256"
# A code and an access token live a minute, as FranceConnect's do.
LIFETIME_SECONDS = 60
CODE_SALT = "franceconnect.simulated.code"
ACCESS_SALT = "franceconnect.simulated.access"

# Test identities, after FranceConnect's own sandbox: born in Paris, in Lyon, abroad.
IDENTITIES = {
    "angela": {
        "sub": "sim-7f3c9a1e2b5d4c6f8a0b1c2d3e4f5a6b",
        "given_name": "Angela Claire Louise",
        "family_name": "DUBOIS",
        "birthdate": "1962-08-24",
        "gender": "female",
        "birthplace": "75107",
        "birthcountry": "99100",
        "preferred_username": "",
        "email": "angela.dubois@example.org",
    },
    "jean-pierre": {
        "sub": "sim-1a2b3c4d5e6f708192a3b4c5d6e7f809",
        "given_name": "Jean-Pierre",
        "family_name": "MARTIN",
        "birthdate": "1985-03-12",
        "gender": "male",
        "birthplace": "69123",
        "birthcountry": "99100",
        "preferred_username": "",
        "email": "jean-pierre.martin@example.org",
    },
    "maria": {
        "sub": "sim-0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "given_name": "Maria",
        "family_name": "SANTOS",
        "birthdate": "1991-11-02",
        "gender": "female",
        "birthplace": "",
        "birthcountry": "99139",
        "preferred_username": "",
        "email": "maria.santos@example.org",
    },
}


def client_secret() -> str:
    """Derived from SECRET_KEY: nothing to configure, nothing the same on two servers."""
    return salted_hmac("franceconnect.simulated", "client-secret").hexdigest()


def base_url(request) -> str:
    return request.build_absolute_uri(reverse("franceconnect_simulated:authorize")).rsplit("/", 2)[
        0
    ]


def provider_config(request) -> ProviderConfig:
    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(f"franceconnect_simulated:{name}"))

    return ProviderConfig(
        issuer=base_url(request),
        authorization_endpoint=absolute("authorize"),
        token_endpoint=absolute("token"),
        userinfo_endpoint=absolute("userinfo"),
        jwks_uri=absolute("jwks"),
        end_session_endpoint=absolute("end_session"),
        client_id=CLIENT_ID,
        client_secret=client_secret(),
        algorithms=(ALGORITHM,),
    )


# The key


def key_path() -> Path:
    return Path(settings.VAR_DIR) / "franceconnect-simule.pem"


def private_key() -> rsa.RSAPrivateKey:
    stored = key_path()
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
    return serialization.load_pem_private_key(stored.read_bytes(), password=None)


def public_jwk() -> dict:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private_key().public_key()))
    return {**jwk, "kid": KEY_ID, "alg": ALGORITHM, "use": "sig"}


def sign(claims: dict) -> str:
    return jwt.encode(claims, private_key(), algorithm=ALGORITHM, headers={"kid": KEY_ID})


# The views


def simulated_only(view):
    """404 unless the simulated provider is allowed (see the module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not simulated_allowed():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def same_site_path(url: str, request, expected_path: str) -> bool:
    """A return address of the portal itself: the simulated provider redirects nowhere else."""
    parts = urlsplit(url)
    return parts.netloc == request.get_host() and parts.path == expected_path


class ChoiceForm(forms.Form):
    identity = forms.ChoiceField(
        label="Identité de test",
        choices=[
            (key, f"{values['given_name']} {values['family_name']}")
            for key, values in IDENTITIES.items()
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une identité de test."},
    )


def refuse(request, reason: str):
    return render(request, "franceconnect/simulated_refused.html", {"reason": reason}, status=400)


@simulated_only
@require_http_methods(["GET", "POST"])
def authorize(request):
    """The provider's login page: pick a test identity, or cancel."""
    params = request.GET
    if params.get("client_id") != CLIENT_ID or params.get("response_type") != "code":
        return refuse(request, "Service inconnu du fournisseur d'identité simulé.")
    redirect_uri = params.get("redirect_uri", "")
    if not same_site_path(redirect_uri, request, reverse("franceconnect:callback")):
        return refuse(request, "Adresse de retour refusée.")
    if not params.get("state") or not params.get("nonce"):
        return refuse(request, "Paramètres state et nonce obligatoires.")
    form = ChoiceForm(request.POST or None)
    if request.method == "POST":
        if "cancel" in request.POST:
            query = urlencode({"error": "access_denied", "state": params["state"]})
            return HttpResponseRedirect(f"{redirect_uri}?{query}")
        if form.is_valid():
            code = signing.dumps(
                {
                    "identity": form.cleaned_data["identity"],
                    "nonce": params["nonce"],
                    "redirect_uri": redirect_uri,
                },
                salt=CODE_SALT,
            )
            query = urlencode({"code": code, "state": params["state"]})
            return HttpResponseRedirect(f"{redirect_uri}?{query}")
    context = {"form": form, "identities": IDENTITIES}
    return render(request, "franceconnect/simulated_authorize.html", context)


@csrf_exempt  # a server-to-server call, authenticated by the client secret
@simulated_only
@require_POST
def token(request):
    data = request.POST
    if data.get("client_id") != CLIENT_ID or not constant_time_compare(
        data.get("client_secret", ""), client_secret()
    ):
        return JsonResponse({"error": "invalid_client"}, status=401)
    try:
        grant = signing.loads(data.get("code", ""), salt=CODE_SALT, max_age=LIFETIME_SECONDS)
    except signing.BadSignature:
        return JsonResponse({"error": "invalid_grant"}, status=400)
    if data.get("redirect_uri") != grant["redirect_uri"]:
        return JsonResponse({"error": "invalid_grant"}, status=400)
    # A code serves once. Best effort: while the shared cache is away (django-redis answers
    # None instead of False), the demo goes on without the check rather than refusing.
    first_use = cache.add(f"franceconnect:simulated:code:{data['code'][-43:]}", 1, 120)
    if first_use is False:
        return JsonResponse({"error": "invalid_grant"}, status=400)
    identity = IDENTITIES[grant["identity"]]
    now = int(time.time())
    id_token = sign(
        {
            "iss": base_url(request),
            "aud": CLIENT_ID,
            "sub": identity["sub"],
            "iat": now,
            "exp": now + LIFETIME_SECONDS,
            "nonce": grant["nonce"],
            "acr": "eidas1",
            "amr": ["pwd"],
        }
    )
    access = signing.dumps({"identity": grant["identity"]}, salt=ACCESS_SALT)
    return JsonResponse(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": LIFETIME_SECONDS,
            "id_token": id_token,
        }
    )


@csrf_exempt
@simulated_only
@require_GET
def userinfo(request):
    """The identity as a signed JWT, as FranceConnect v2 sends it."""
    scheme, _, access = request.headers.get("Authorization", "").partition(" ")
    try:
        grant = signing.loads(access, salt=ACCESS_SALT, max_age=LIFETIME_SECONDS)
    except signing.BadSignature:
        return JsonResponse({"error": "invalid_token"}, status=401)
    if scheme != "Bearer":
        return JsonResponse({"error": "invalid_token"}, status=401)
    claims = {**IDENTITIES[grant["identity"]], "iss": base_url(request), "aud": CLIENT_ID}
    return HttpResponse(sign(claims), content_type="application/jwt")


@simulated_only
@require_GET
def jwks(request):
    return JsonResponse({"keys": [public_jwk()]})


@simulated_only
@require_GET
def end_session(request):
    """FranceConnect's logout: ends its session, then back to the portal with the state."""
    target = request.GET.get("post_logout_redirect_uri", "")
    if not request.GET.get("id_token_hint") or not same_site_path(
        target, request, reverse("franceconnect:logged_out")
    ):
        return refuse(request, "Demande de déconnexion incomplète.")
    try:
        jwt.decode(
            request.GET["id_token_hint"],
            private_key().public_key(),
            algorithms=[ALGORITHM],
            audience=CLIENT_ID,
            options={"verify_exp": False},
        )
    except jwt.PyJWTError:
        return refuse(request, "Jeton d'identité inconnu.")
    query = urlencode({"state": request.GET.get("state", "")})
    return HttpResponseRedirect(f"{target}?{query}")


app_name = "franceconnect_simulated"
urlpatterns = [
    path("autoriser/", authorize, name="authorize"),
    path("jeton/", token, name="token"),
    path("utilisateur/", userinfo, name="userinfo"),
    path("cles/", jwks, name="jwks"),
    path("deconnexion/", end_session, name="end_session"),
]
