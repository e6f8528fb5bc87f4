"""Filling a procedure: the form, the draft, « Récapitulatif », « Envoyer ma demande »."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from households.services import household_members
from procedures import selectors, services
from procedures.catalogue import cache as catalogue
from procedures.forms import ProcedureForm, initial_from


def procedure_form(request, procedure, citizen_request=None) -> ProcedureForm:
    # Only a procedure about one member asks whom: the others cost no query for it.
    members = (
        household_members(account=request.user, by=request.user)
        if procedure.concerns_a_member
        else []
    )
    uploaded = set()
    if citizen_request is not None:
        uploaded = {
            f"f_{doc.field_name}" for doc in citizen_request.documents.all() if doc.field_name
        }
    return ProcedureForm(
        request.POST or None,
        request.FILES or None,
        procedure=procedure,
        members=members,
        fields=list(procedure.fields.all()),
        documents=list(procedure.documents.all()),
        uploaded=uploaded,
        draft="save_draft" in request.POST,
        initial=initial_from(citizen_request) if citizen_request else None,
    )


def save_form(request, form, procedure, citizen_request=None):
    """Save the draft; None when a document is refused (the error is put on the form)."""
    try:
        return services.request_draft_save(
            account=request.user,
            procedure=procedure,
            member=form.cleaned_data.get("member"),
            answers=form.answers(),
            uploads=form.uploads(),
            citizen_request=citizen_request,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    except services.RequestError as error:  # Sent from another tab meanwhile.
        form.add_error(None, str(error))
        return None


def after_save(request, citizen_request):
    if "save_draft" in request.POST:
        messages.success(
            request,
            _(
                "Votre brouillon est enregistré. Reprenez-le depuis l'onglet « Accueil » ; "
                "il est conservé 30 jours."
            ),
        )
        return redirect("home")
    return redirect("procedures:summary", pk=citizen_request.pk)


@login_required
@require_http_methods(["GET", "POST"])
def start(request, slug):
    procedure = catalogue.procedure_with_form(slug)
    if procedure is None:
        raise Http404
    if not procedure.account_required:
        return redirect("procedures:anonymous_start", slug=slug)
    form = procedure_form(request, procedure)
    if request.method == "POST" and form.is_valid():
        citizen_request = save_form(request, form, procedure)
        if citizen_request is not None:
            return after_save(request, citizen_request)
    context = {"active_tab": "services", "procedure": procedure, "form": form}
    return render(request, "procedures/form.html", context)


def own_draft(request, pk):
    return get_object_or_404(
        selectors.drafts(account=request.user).prefetch_related("documents"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    citizen_request = own_draft(request, pk)
    # A procedure unpublished since the draft was saved is read from the database.
    procedure = (
        catalogue.procedure_with_form(citizen_request.procedure.slug) or citizen_request.procedure
    )
    form = procedure_form(request, procedure, citizen_request)
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, procedure, citizen_request)
        if saved is not None:
            return after_save(request, saved)
    context = {
        "active_tab": "services",
        "procedure": procedure,
        "form": form,
        "draft": citizen_request,
    }
    return render(request, "procedures/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def summary(request, pk):
    citizen_request = get_object_or_404(
        selectors.request_with_details(selectors.drafts(account=request.user)), pk=pk
    )
    if request.method == "POST":
        try:
            citizen_request = services.request_submit(
                citizen_request=citizen_request, by=request.user
            )
        except services.RequestError as error:
            messages.error(request, str(error))
            return redirect("procedures:edit", pk=citizen_request.pk)
        return redirect("procedures:confirmation", pk=citizen_request.pk)
    context = {
        "active_tab": "services",
        "draft": citizen_request,
        "missing": selectors.missing_answers(citizen_request),
        "answers": selectors.answers_for_display(citizen_request),
        "documents": selectors.documents_for_display(citizen_request),
        "edit_url": reverse("procedures:edit", args=[citizen_request.pk]),
    }
    return render(request, "procedures/summary.html", context)


@login_required
def confirmation(request, pk):
    citizen_request = get_object_or_404(
        selectors.request_with_details(selectors.submitted_requests(account=request.user)), pk=pk
    )
    documents = selectors.documents_for_display(citizen_request)
    context = {
        "active_tab": "requests",
        "sent": citizen_request,
        "on_paper": [row for row in documents if not row["document"]],
    }
    return render(request, "procedures/confirmation.html", context)


@login_required
@require_POST
def delete(request, pk):
    services.request_draft_delete(citizen_request=own_draft(request, pk))
    messages.success(request, _("Le brouillon est supprimé."))
    return redirect("home")
