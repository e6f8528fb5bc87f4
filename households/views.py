"""The « Compte » tab: the account's data, the household's adults and children, their sheets.

Every change goes form → review (« Valider ») → one service call. Until the
town hall validates the account, the changing views answer 403 with why.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.services import AccountNotValidated
from households import selectors, services
from households.forms import (
    FORMS_BY_CATEGORY,
    AccountForm,
    initial_from,
    member_form_class,
)
from households.models import Category, Relationship

STEP_REVIEW, STEP_CONFIRM, STEP_EDIT = "review", "confirm", "edit"


def render_locked(request):
    return render(request, "households/locked.html", {"active_tab": "account"}, status=403)


def validated_account_required(view):
    """Nothing of the account or the household changes before validation (FAQ)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_validated:
            return render_locked(request)
        try:
            return view(request, *args, **kwargs)
        except AccountNotValidated:
            return render_locked(request)

    return wrapper


def form_then_review(request, form, *, before, save, template, context):
    """Show the form; once valid, the review of what will be saved; on « Valider », save.

    The review page carries the values in hidden fields, so that nothing waits in
    the session and the form is checked again when the citizen validates; its
    « Modifier les informations » (STEP_EDIT) shows the form again, as typed.
    """
    step = request.POST.get("step", STEP_REVIEW) if request.method == "POST" else None
    context = {"active_tab": "account", **context, "form": form, "is_change": before is not None}
    if step in (STEP_REVIEW, STEP_CONFIRM) and form.is_valid():
        if step == STEP_CONFIRM:
            try:
                return save(form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
                return render(request, template, context)
        rows = form.review_rows(before)
        if not rows:
            messages.info(request, _("Vous n'avez rien modifié."))
            return redirect(context["cancel_url"])
        return render(request, "households/review.html", {**context, "rows": rows})
    return render(request, template, context)


@login_required
@require_GET
def account_tab(request):
    members = services.household_members(account=request.user, by=request.user)
    adults, children = selectors.by_category(members)
    context = {
        "active_tab": "account",
        "adults": adults,
        "children": children,
        "identity_certified": request.user.identity_certified,
    }
    return render(request, "households/account.html", context)


@login_required
@validated_account_required
@require_http_methods(["GET", "POST"])
def account_edit(request):
    before = initial_from(request.user, AccountForm)
    form = AccountForm(
        request.POST or None, initial=before, identity_locked=request.user.identity_certified
    )

    def save(data):
        changes = services.holder_update(account=request.user, by=request.user, **data)
        messages.success(request, _("Vos informations sont enregistrées."))
        if "email" in changes:
            messages.info(
                request,
                _(
                    "Un lien de confirmation vient d'être envoyé à %(email)s : la nouvelle "
                    "adresse sera utilisée quand vous l'aurez suivi (sous 48 heures). D'ici là, "
                    "les messages partent à l'adresse actuelle, qui est prévenue."
                )
                % {"email": changes["email"]["pending"]},
            )
        return redirect("households:account")

    context = {
        "title": _("Modifier mes informations"),
        "review_title": _("Vérifiez vos informations"),
        "action_url": reverse("households:account_edit"),
        "cancel_url": reverse("households:account"),
    }
    return form_then_review(
        request,
        form,
        before=before,
        save=save,
        template="households/account_form.html",
        context=context,
    )


@login_required
@validated_account_required
@require_http_methods(["GET", "POST"])
def member_add(request, category: Category):
    household = services.household_get_or_create(account=request.user, by=request.user)
    form_class = FORMS_BY_CATEGORY[category]
    initial = {"last_name": request.user.last_name}
    if category == Category.CHILD:
        initial["relationship"] = Relationship.CHILD
    form = form_class(request.POST or None, initial=initial)

    def save(data):
        member = services.member_add(
            household=household, by=request.user, category=category, **data
        )
        messages.success(
            request, _("%(name)s fait maintenant partie de votre foyer.") % {"name": member}
        )
        return redirect("households:account")

    if category == Category.ADULT:
        title, review_title = _("Ajouter un adulte"), _("Vérifiez les informations de l'adulte")
    else:
        title, review_title = _("Ajouter un enfant"), _("Vérifiez les informations de l'enfant")
    context = {
        "title": title,
        "review_title": review_title,
        "category": category,
        "action_url": request.path,
        "cancel_url": reverse("households:account"),
    }
    return form_then_review(
        request,
        form,
        before=None,
        save=save,
        template="households/member_form.html",
        context=context,
    )


@login_required
@require_GET
def member_detail(request, pk: int):
    member = get_object_or_404(selectors.members_for_account(account=request.user), pk=pk)
    return render(
        request, "households/member_detail.html", {"active_tab": "account", "member": member}
    )


@login_required
@validated_account_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    member = get_object_or_404(selectors.members_for_account(account=request.user), pk=pk)
    form_class = member_form_class(member)
    before = initial_from(member, form_class)
    form = form_class(request.POST or None, initial=before)

    def save(data):
        services.member_update(member=member, by=request.user, **data)
        messages.success(request, _("Les modifications sont enregistrées."))
        return redirect(member)

    context = {
        "title": _("Modifier la fiche de %(name)s") % {"name": member},
        "review_title": _("Vérifiez les modifications"),
        "member": member,
        "action_url": request.path,
        "cancel_url": member.get_absolute_url(),
    }
    return form_then_review(
        request,
        form,
        before=before,
        save=save,
        template="households/member_form.html",
        context=context,
    )


@login_required
@validated_account_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk: int):
    member = get_object_or_404(selectors.members_for_account(account=request.user), pk=pk)
    if request.method == "POST":
        try:
            services.member_remove(member=member, by=request.user)
        except services.MemberRemovalRefused as refusal:
            context = {"active_tab": "account", "member": member, "reasons": refusal.reasons}
            return render(request, "households/member_remove.html", context, status=409)
        messages.success(
            request, _("%(name)s ne fait plus partie de votre foyer.") % {"name": member}
        )
        return redirect("households:account")
    reasons = services.member_removal_refusals(member=member)
    context = {"active_tab": "account", "member": member, "reasons": reasons}
    return render(request, "households/member_remove.html", context)
