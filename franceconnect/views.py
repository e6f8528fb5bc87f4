"""« S'identifier avec FranceConnect »: the way there, the way back, the first visit's page,
the link of an existing account, and the return from FranceConnect's logout.

Thin: the checks of the provider's answer are in ``client``, the writes in ``services``.
Every failure ends on a French page with a status that says what happened (400: the
answer failed a check; 502: FranceConnect did not answer), never a 500.
"""

import logging

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from common.oidc.errors import IdentityRefused, ProviderUnavailable
from common.oidc.start import AuthorizationStartView, flow_pop, only_when
from common.validators import is_of_age
from franceconnect import logout, selectors, services, sessions
from franceconnect.backends import BACKEND_PATH
from franceconnect.client import identity_for
from franceconnect.config import is_enabled, provider_config
from franceconnect.forms import CompletionForm
from franceconnect.identity import SCOPES, IdentityIncomplete

log = logging.getLogger(__name__)

UNAVAILABLE = (
    "FranceConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
    "connectez-vous avec votre identifiant et votre mot de passe."
)
REFUSED = (
    "La réponse de FranceConnect n'a pas pu être vérifiée, ou cette connexion a expiré "
    "ou a déjà servi. Recommencez depuis la page d'accueil."
)


def failure(request, message: str, *, status: int):
    return render(request, "franceconnect/error.html", {"message": message}, status=status)


# 404 while no provider is configured: the portal then has no FranceConnect at all.
enabled_only = only_when(is_enabled)


class StartView(AuthorizationStartView):
    """The button: to FranceConnect with the eidas1 level and the identity pivot's scopes."""

    SETTINGS = {
        "OIDC_RP_SCOPES": " ".join(SCOPES),
        "OIDC_AUTHENTICATION_CALLBACK_URL": "franceconnect:callback",
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": False,  # FranceConnect v2 does not take it
    }

    def get_extra_params(self, request):
        return {"acr_values": "eidas1", "prompt": "login consent"}

    def provider_config(self, request):
        if not is_enabled():
            raise Http404
        return provider_config(request)

    def unavailable(self, request, error):
        log.warning("franceconnect: no provider configuration (%s)", error)
        return failure(request, UNAVAILABLE, status=502)


@enabled_only
@require_GET
def callback(request):
    """FranceConnect sends the citizen back here with a code and our state."""
    flow = flow_pop(request)
    if request.GET.get("error"):
        messages.info(request, "Connexion avec FranceConnect annulée.")
        return redirect("households:account" if request.user.is_authenticated else "home")
    code = request.GET.get("code", "")
    if flow is None or not code:
        log.warning("franceconnect: callback with an unknown state or no code")
        return failure(request, REFUSED, status=400)
    redirect_uri = request.build_absolute_uri(reverse("franceconnect:callback"))
    try:
        config = provider_config(request)
        identity, id_token = identity_for(
            config, code=code, nonce=flow.get("nonce") or "", redirect_uri=redirect_uri
        )
    except ProviderUnavailable as error:
        log.warning("franceconnect: provider unavailable (%s)", error)
        return failure(request, UNAVAILABLE, status=502)
    except IdentityRefused as error:
        log.warning("franceconnect: answer refused (%s)", error)
        return failure(request, REFUSED, status=400)
    except IdentityIncomplete as error:
        return failure(request, str(error), status=400)
    if request.user.is_authenticated:
        return link_and_return(request, identity, config.client_id, id_token)
    link = selectors.link_for_identity(client_id=config.client_id, sub=identity.sub)
    if link is None:
        # A new session key before it holds a certified identity: a key planted in this
        # browser beforehand (session fixation) must not open the completion page.
        request.session.cycle_key()
        sessions.pending_store(
            request.session, identity=identity, client_id=config.client_id, id_token=id_token
        )
        return redirect("franceconnect:complete")
    account = link.account
    if not account.is_active or account.is_staff or account.is_superuser:
        return failure(request, "Ce compte est désactivé. Contactez la mairie.", status=403)
    services.login_record(link=link, identity=identity)
    next_url = flow.get("next") or reverse("home")
    log_in(request, link.account, id_token)
    return redirect(next_url)


def log_in(request, account, id_token: str) -> None:
    auth.login(request, account, backend=BACKEND_PATH)
    # After login (which renews the session key): the end-session URL goes in this session.
    logout.remember(request, id_token)


def link_and_return(request, identity, client_id: str, id_token: str):
    try:
        services.link_create(account=request.user, identity=identity, client_id=client_id)
    except services.LinkRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("households:account")
    request.session.pop(sessions.PENDING, None)
    # The account just gained a certified identity: the session that holds it is renewed.
    request.session.cycle_key()
    logout.remember(request, id_token)
    messages.success(
        request,
        "Votre compte est lié à FranceConnect : vous pouvez vous connecter avec FranceConnect "
        "ou avec votre identifiant et votre mot de passe. Votre identité, certifiée, "
        "n'est plus modifiable.",
    )
    return redirect("households:account")


@enabled_only
@require_http_methods(["GET", "POST"])
def complete(request):
    """A first FranceConnect visit: the certified identity, read-only, and only what
    FranceConnect does not give."""
    if request.user.is_authenticated:
        return redirect("home")
    pending = sessions.pending_read(request.session)
    if pending is None:
        messages.info(request, "Cette étape a expiré : identifiez-vous de nouveau.")
        return redirect("home")
    identity, client_id, id_token = pending
    if not is_of_age(identity.birth_date, timezone.localdate()):
        message = (
            "Il faut être majeur pour créer un compte ; un enfant est ajouté au foyer "
            "d'un de ses parents."
        )
        return failure(request, message, status=403)
    form = CompletionForm(request.POST or None, identity=identity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.account_register_with_franceconnect(
                identity=identity,
                client_id=client_id,
                phone=data["phone"],
                address=data["address"],
                postal_code=data["postal_code"],
                city=data["city"],
                password=data["password1"],
                security_question=data["security_question"],
                security_answer=data["security_answer"],
            )
        except services.LinkRefused as refusal:
            return failure(request, str(refusal), status=409)
        request.session.pop(sessions.PENDING, None)
        log_in(request, account, id_token)
        messages.success(
            request,
            f"Votre compte est créé et validé. Votre identifiant, envoyé par mail à "
            f"{account.email}, est {account.identifier}.",
        )
        return redirect("home")
    context = {"identity": identity, "form": form}
    return render(request, "franceconnect/complete.html", context)


@enabled_only
@login_required
@require_GET
def link_pending(request):
    """After « J'ai déjà un compte » and the password login: FranceConnect once more, now
    that the account is known, and the callback links the identity it certifies.

    The identity seen before the password login is dropped, never linked: on a shared
    computer it may be the previous visitor's, and linking it to this account would send
    that person's next FranceConnect login into this account.
    """
    request.session.pop(sessions.PENDING, None)
    return render(request, "franceconnect/link.html", {"next": reverse("households:account")})


@require_GET
def logged_out(request):
    """FranceConnect's end-session sends the citizen back here with our state."""
    expected = request.session.pop(sessions.LOGOUT_STATE, None)
    if expected and request.GET.get("state") == expected:
        messages.success(
            request, "Vous êtes déconnecté de votre espace citoyen et de FranceConnect."
        )
    return redirect("home")
