"""Lost password (identifier, security question, temporary password) and password change."""

import hashlib
import hmac

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash, user_login_failed
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import (
    ForcedPasswordChangeForm,
    IdentifierForm,
    PasswordChangeForm,
    SecurityAnswerForm,
)
from accounts.identifiers import normalize_identifier
from accounts.models import SecurityQuestion
from accounts.views.auth import lockout


def question_for(identifier: str) -> str:
    """The account's question; for an unknown identifier, a stable made-up one.

    Showing a question either way keeps the page from telling who has an account.
    """
    account = services.account_for_identifier(identifier)
    if account and account.security_question:
        return account.get_security_question_display()
    digest = hmac.new(settings.SECRET_KEY.encode(), identifier.encode(), hashlib.sha256).digest()
    choices = SecurityQuestion.choices
    return choices[digest[0] % len(choices)][1]


@require_http_methods(["GET", "POST"])
def password_forgotten(request):
    """Ask the identifier, then the answer: both are posted, never put in a URL, so that
    neither the browser's history nor an access log keeps who asked."""
    if request.method == "GET":
        return render(request, "accounts/password_forgotten.html", {"form": IdentifierForm()})
    if "answer" in request.POST:
        return answer_security_question(request)
    identifier_form = IdentifierForm(request.POST)
    if not identifier_form.is_valid():
        return render(request, "accounts/password_forgotten.html", {"form": identifier_form})
    identifier = normalize_identifier(identifier_form.cleaned_data["identifier"])
    form = SecurityAnswerForm(initial={"identifier": identifier})
    return render_question(request, form, identifier)


def render_question(request, form, identifier):
    context = {"form": form, "identifier": identifier, "question": question_for(identifier)}
    return render(request, "accounts/security_question.html", context)


def answer_security_question(request):
    form = SecurityAnswerForm(request.POST)
    if not form.is_valid():
        # Only an identifier the form accepted is looked up (not one with a NUL byte).
        identifier = normalize_identifier(form.cleaned_data.get("identifier", ""))
        if not identifier:
            return redirect("accounts:password_forgotten")
        return render_question(request, form, identifier)
    identifier = normalize_identifier(form.cleaned_data["identifier"])
    credentials = {"username": identifier}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout(request)
    if not services.password_reset_request(
        identifier=identifier, answer=form.cleaned_data["answer"]
    ):
        # A wrong answer counts like a failed login, so guessing is throttled too.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return redirect("accounts:password_forgotten_done")


def password_forgotten_done(request):
    return render(request, "accounts/password_forgotten_done.html")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    forced = request.user.password_change_required
    form_class = ForcedPasswordChangeForm if forced else PasswordChangeForm
    form = form_class(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(account=request.user, new_password=form.cleaned_data["password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Votre mot de passe a été changé. Un mail vous le confirme."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})
