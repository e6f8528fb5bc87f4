"""« S'identifier avec ProConnect » on the admin's login page: the way there, the way back,
and the return from ProConnect's logout.

ProConnect is the State's federation of public agents' identities. It logs in only an
account that exists already: an active staff account of the portal whose email is the
work email ProConnect gives. It never creates one, never opens a citizen's account, and
never a superuser's (superusers log in with their identifier of the portal and its second
factor: an email that a federated identity provider vouches for is not enough to get all
rights). The portal's second factor is still asked, unless PROCONNECT_TRUSTS_TWO_FACTOR
says to believe ProConnect when its ``acr`` says its identity provider asked one.

The checks of the answer are the shared OpenID Connect client's (``common.oidc``): state,
nonce, signatures against the JWKS, issuer, audience, expiry, ``acr``, bounded answers,
timeouts. Every failure ends on a French page (400: the answer failed a check; 403: no
account for it; 502: ProConnect did not answer), never a 500.
"""

import json
import logging

from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET

from accounts import logout_elsewhere
from backoffice.login import second_factor_done_elsewhere
from common.oidc import logout as oidc_logout
from common.oidc.client import OIDCClient
from common.oidc.errors import IdentityRefused, ProviderUnavailable
from common.oidc.start import AuthorizationStartView, flow_pop, only_when
from staff_login.backends import BACKEND_PATH
from staff_login.proconnect_config import (
    ACCEPTED_ACR,
    TWO_FACTOR_ACR,
    is_enabled,
    provider_config,
)
from staff_login.selectors import staff_accounts_with_email

log = logging.getLogger(__name__)

# The work email is all the portal needs; ProConnect always sends the names too.
SCOPES = "openid email given_name usual_name"
# The state sent with the end-session request, checked when ProConnect sends us back.
LOGOUT_STATE = "proconnect_logout_state"
EMAIL_MAX_LENGTH = 254

UNAVAILABLE = (
    "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
    "connectez-vous avec votre identifiant et votre mot de passe."
)
REFUSED = (
    "La réponse de ProConnect n'a pas pu être vérifiée, ou cette connexion a expiré ou a "
    "déjà servi. Recommencez depuis la page de connexion à l'administration."
)
NO_EMAIL = "ProConnect n'a pas transmis d'adresse électronique professionnelle valide."
NO_ACCOUNT = (
    "Aucun compte d'agent actif du portail n'a l'adresse {email}. Demandez à un "
    "administrateur du portail d'inscrire cette adresse sur votre compte d'agent."
)
SEVERAL_ACCOUNTS = (
    "Plusieurs comptes d'agent du portail ont l'adresse {email} : un administrateur du "
    "portail doit n'en laisser qu'un avant que vous puissiez vous connecter avec ProConnect."
)
SUPERUSER = (
    "Les administrateurs du portail se connectent avec leur identifiant et leur mot de passe "
    "du portail, pas avec ProConnect."
)


def failure(request, message: str, *, status: int):
    return render(request, "staff_login/proconnect_error.html", {"message": message}, status=status)


# 404 while no provider is configured: the portal then has no ProConnect at all.
enabled_only = only_when(is_enabled)


class StartView(AuthorizationStartView):
    """The button: to ProConnect, asking for an accepted level and a fresh login."""

    SETTINGS = {
        "OIDC_RP_SCOPES": SCOPES,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "proconnect:callback",
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": False,
    }

    def get_extra_params(self, request):
        # ProConnect refuses any parameter outside its list: the levels go in ``claims``.
        claims = {"id_token": {"acr": {"essential": True, "values": list(ACCEPTED_ACR)}}}
        return {"claims": json.dumps(claims, separators=(",", ":")), "prompt": "login"}

    def provider_config(self, request):
        if not is_enabled():
            raise Http404
        return provider_config(request)

    def unavailable(self, request, error):
        log.warning("proconnect: no provider configuration (%s)", error)
        return failure(request, UNAVAILABLE, status=502)


def work_email(userinfo: dict) -> str:
    """The email ProConnect gives, normalised; ValueError when it is not one."""
    email = userinfo.get("email")
    if not isinstance(email, str):
        raise ValueError("no email")
    email = email.strip().lower()
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValueError("email too long")
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValueError("not an email") from error
    return email


@enabled_only
@require_GET
def callback(request):
    """ProConnect sends the agent back here with a code and our state."""
    flow = flow_pop(request)
    if request.GET.get("error"):
        messages.info(request, "Connexion avec ProConnect annulée.")
        return redirect("admin:login")
    code = request.GET.get("code", "")
    if flow is None or not code:
        log.warning("proconnect: callback with an unknown state or no code")
        return failure(request, REFUSED, status=400)
    redirect_uri = request.build_absolute_uri(reverse("proconnect:callback"))
    try:
        config = provider_config(request)
        client = OIDCClient(config, accepted_acr=ACCEPTED_ACR, timeout=settings.PROCONNECT_TIMEOUT)
        userinfo, id_claims, id_token = client.claims_for(
            code=code, nonce=flow.get("nonce") or "", redirect_uri=redirect_uri
        )
        email = work_email(userinfo)
    except ProviderUnavailable as error:
        log.warning("proconnect: provider unavailable (%s)", error)
        return failure(request, UNAVAILABLE, status=502)
    except IdentityRefused as error:
        log.warning("proconnect: answer refused (%s)", error)
        return failure(request, REFUSED, status=400)
    except ValueError as error:
        log.warning("proconnect: answer without a usable email (%s)", error)
        return failure(request, NO_EMAIL, status=400)
    accounts = list(staff_accounts_with_email(email)[:2])
    if not accounts:
        return failure(request, NO_ACCOUNT.format(email=email), status=403)
    if len(accounts) > 1:
        return failure(request, SEVERAL_ACCOUNTS.format(email=email), status=409)
    account = accounts[0]
    if account.is_superuser:
        return failure(request, SUPERUSER, status=403)
    if not directory_still_grants(request, account):
        return failure(request, NO_ACCOUNT.format(email=email), status=403)
    log_in(request, account, id_token, id_claims.get("acr"))
    log.info("proconnect: staff account %s logged in", account.pk)
    return redirect(flow.get("next") or reverse("admin:index"))


def directory_still_grants(request, account) -> bool:
    """A member of the town's directory keeps the roles its groups give, whichever way they
    log in: one removed from the groups or the directory is refused here too."""
    link = getattr(account, "directory_link", None) if settings.DIRECTORY_ENABLED else None
    if link is None:
        return True
    from staff_login.directory import roles_refresh  # python-ldap: only with a directory

    return roles_refresh(link=link, request=request)


def log_in(request, account, id_token: str, acr) -> None:
    # A staff session opened by a logged-in citizen's browser starts anew (auth.login
    # flushes a session of another user and renews the key of this one).
    auth.login(request, account, backend=BACKEND_PATH)
    if settings.PROCONNECT_TRUSTS_TWO_FACTOR and acr in TWO_FACTOR_ACR:
        second_factor_done_elsewhere(request.session, by="proconnect")
    # After login (which renews the session key): ProConnect's logout goes in this session.
    try:
        url, state = oidc_logout.end_session_url(
            provider_config(request),
            id_token=id_token,
            post_logout_redirect_uri=request.build_absolute_uri(reverse("proconnect:logged_out")),
        )
    except ProviderUnavailable as error:
        # The portal's session ends anyway; ProConnect's expires on its own.
        log.warning("proconnect: logout without end-session (%s)", error)
        return
    logout_elsewhere.remember(request.session, url=url, keep={LOGOUT_STATE: state})


@require_GET
def logged_out(request):
    """ProConnect's end-session sends the agent back here with our state."""
    expected = request.session.pop(LOGOUT_STATE, None)
    if expected and constant_time_compare(request.GET.get("state", ""), expected):
        messages.success(request, "Vous êtes déconnecté de l'administration et de ProConnect.")
    return redirect("admin:login")
