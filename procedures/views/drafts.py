"""Filling a procedure page by page: the draft, « Récapitulatif », « Envoyer ma demande ».

Every page is saved in the draft on the server as the citizen moves (« Suivant »,
« Précédent », « Enregistrer le brouillon », the buttons of a repeated block): it works
without JavaScript and survives a closed tab. The pages shown, the step indicator and
the questions of each page follow the conditions on the answers kept so far.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from households.models import Member
from households.services import household_members
from procedures import selectors, services
from procedures.answers import subject_of
from procedures.catalogue import cache as catalogue
from procedures.catalogue.conditions import NOBODY, visible_documents, visible_pages
from procedures.catalogue.definition import Definition, definition_of
from procedures.catalogue.models import FieldKind
from procedures.catalogue.page_form import MemberChoiceField, PageForm
from procedures.models import Procedure

# The buttons of a page, by their name; a page posted by another button (« Suivant »,
# « Continuer vers le récapitulatif », or Enter in a field) goes forward.
PREVIOUS, SAVE = "previous", "save_draft"
ADD_PREFIX, REMOVE_PREFIX = "add_", "remove_"


@dataclass(frozen=True)
class Filling:
    """Who fills the form, for whom, and where its buttons lead: the citizen on the
    portal, or a clerk at the counter for a citizen (``procedures.counter``)."""

    account: User  # whose request it is
    by: User  # who fills it
    page_url: Callable[[object, int], str]
    summary_url: Callable[[object], str]
    saved_url: str
    template: str = "procedures/form.html"
    context: dict = field(default_factory=dict)


def member_choices(procedure: Procedure, members: list[Member]) -> list[Member]:
    if procedure.concerns == Procedure.Concerns.ADULT:
        return [member for member in members if member.is_adult]
    if procedure.concerns == Procedure.Concerns.CHILD:
        return [member for member in members if not member.is_adult]
    return members


def member_field(procedure: Procedure, members: list[Member]) -> forms.Field:
    allowed = member_choices(procedure, members)
    return MemberChoiceField(
        label=_("Personne concernée"),
        queryset=Member.objects.filter(pk__in=[m.pk for m in allowed]),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choisissez la personne concernée.")},
        help_text=_("Ses informations sont reprises de votre compte."),
    )


def asks(definition: Definition, page: int, kind: str) -> bool:
    """Whether the page has a question of ``kind``, in a block or not."""
    for item in definition.pages[page].items:
        questions = getattr(item, "questions", [item])
        if any(question.kind == kind for question in questions):
            return True
    return False


def page_form(request, filling, procedure, definition, page, citizen_request=None, *, strict):
    """The page's form; the household and the streets are read only by a page that asks."""
    on_first_page = page == 0 and procedure.concerns_a_member
    needs_members = on_first_page or asks(definition, page, FieldKind.MEMBERS)
    members = household_members(account=filling.account, by=filling.by) if needs_members else []
    street_rows = catalogue.streets() if asks(definition, page, FieldKind.ADDRESS) else []
    answers = citizen_request.answers if citizen_request else {}
    subject = subject_of(citizen_request) if citizen_request else NOBODY
    last = page == visible_pages(definition, answers, subject)[-1]
    uploaded = set()
    if citizen_request is not None:
        uploaded = {doc.field_name for doc in citizen_request.documents.all() if doc.field_name}
    posted = request.method == "POST"
    return PageForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        definition=definition,
        page=page,
        answers=answers,
        subject=subject,
        members=members,
        member_field=member_field(procedure, members) if on_first_page else None,
        initial_member=citizen_request.member_id if citizen_request else None,
        streets=[(row["id"], row["voie"]) for row in street_rows],
        street_rows={row["id"]: row for row in street_rows},
        uploaded=uploaded,
        documents=visible_documents(definition, answers, subject) if last else [],
        with_captcha=last and procedure.captcha_required and filling.by == filling.account,
        strict=strict,
    )


def block_action(request) -> tuple[str, str, int | None] | None:
    """(« add » or « remove », block, item) of a block's button, or None."""
    for name in request.POST:
        if name.startswith(ADD_PREFIX):
            return "add", name.removeprefix(ADD_PREFIX), None
        if name.startswith(REMOVE_PREFIX):
            block, _sep, index = name.removeprefix(REMOVE_PREFIX).rpartition("__")
            if index.isdigit():
                return "remove", block, int(index)
    return None


def changed_blocks(form: PageForm, action) -> dict:
    """This page's answers with a block's item added or removed."""
    answers = form.page_answers()
    if action is None:
        return answers
    verb, block, index = action
    entries = answers.get(block)
    if not isinstance(entries, list):
        return answers
    if verb == "add":
        entries.append({})
    elif index is not None and index < len(entries):
        del entries[index]
    return answers


def save_page(filling, form, procedure, citizen_request, action):
    """Save the page in the draft; None when a document is refused (the error is put on
    the form)."""
    given = {"member": form.cleaned_data.get("member")} if "member" in form.fields else {}
    try:
        return services.request_draft_save(
            account=filling.account,
            procedure=procedure,
            answers=changed_blocks(form, action),
            uploads=form.uploads(),
            citizen_request=citizen_request,
            page_names=[item.name for item in form.page.items],
            **given,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    except services.RequestError as error:  # Sent from another tab meanwhile.
        form.add_error(None, str(error))
        return None


def page_url(draft, page: int) -> str:
    return reverse("procedures:page", args=[draft.pk, page + 1])


def citizen_filling(request) -> Filling:
    return Filling(
        account=request.user,
        by=request.user,
        page_url=page_url,
        summary_url=lambda draft: reverse("procedures:summary", args=[draft.pk]),
        saved_url=reverse("home"),
        context={"active_tab": "services"},
    )


def after_save(request, filling, definition, draft, page: int, action):
    """Where each button leads once the page is saved."""
    if SAVE in request.POST:
        messages.success(
            request,
            _(
                "Votre brouillon est enregistré. Reprenez-le depuis l'onglet « Accueil » ; "
                "il est conservé 30 jours."
            ),
        )
        return redirect(filling.saved_url)
    if action is not None:
        return redirect(f"{filling.page_url(draft, page)}#block-{action[1]}")
    shown = visible_pages(definition, draft.answers, subject_of(draft))
    if PREVIOUS in request.POST:
        earlier = [index for index in shown if index < page]
        return redirect(filling.page_url(draft, earlier[-1] if earlier else 0))
    later = [index for index in shown if index > page]
    if later:
        return redirect(filling.page_url(draft, later[0]))
    return redirect(filling.summary_url(draft))


def fill(request, filling: Filling, procedure, page: int, citizen_request=None):
    """One page of the form, shown or posted."""
    definition = definition_of(procedure)
    answers = citizen_request.answers if citizen_request else {}
    subject = subject_of(citizen_request) if citizen_request else NOBODY
    shown = visible_pages(definition, answers, subject)
    if page not in shown:
        # A page hidden by the answers (or past the last one) leads to the first.
        if citizen_request is None or not shown:
            raise Http404
        return redirect(filling.page_url(citizen_request, shown[0]))
    action = block_action(request) if request.method == "POST" else None
    forward = not (action or PREVIOUS in request.POST or SAVE in request.POST)
    form = page_form(request, filling, procedure, definition, page, citizen_request, strict=forward)
    if request.method == "POST" and form.is_valid():
        saved = save_page(filling, form, procedure, citizen_request, action)
        if saved is not None:
            return after_save(request, filling, definition, saved, page, action)
    position = shown.index(page)
    context = {
        **filling.context,
        "procedure": procedure,
        "form": form,
        "draft": citizen_request,
        "step": {
            "number": position + 1,
            "count": len(shown),
            "title": definition.pages[page].title,
            "first": position == 0,
            "last": position == len(shown) - 1,
        },
    }
    return render(request, filling.template, context)


@login_required
@require_http_methods(["GET", "POST"])
def start(request, slug):
    procedure = catalogue.procedure_with_form(slug)
    if procedure is None:
        raise Http404
    if not procedure.account_required:
        return redirect("procedures:anonymous_start", slug=slug)
    return fill(request, citizen_filling(request), procedure, 0)


def own_draft(request, pk):
    return get_object_or_404(
        selectors.drafts(account=request.user).prefetch_related("documents"), pk=pk
    )


def draft_procedure(citizen_request) -> Procedure:
    # A procedure unpublished since the draft was saved is read from the database.
    return (
        catalogue.procedure_with_form(citizen_request.procedure.slug) or citizen_request.procedure
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The draft's first page (the address kept from before the form had pages)."""
    return page(request, pk, 1)


@login_required
@require_http_methods(["GET", "POST"])
def page(request, pk, number):
    citizen_request = own_draft(request, pk)
    return fill(
        request,
        citizen_filling(request),
        draft_procedure(citizen_request),
        number - 1,
        citizen_request,
    )


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
            return redirect("procedures:summary", pk=citizen_request.pk)
        return redirect("procedures:confirmation", pk=citizen_request.pk)
    context = {"active_tab": "services", **summary_context(citizen_request, page_url)}
    return render(request, "procedures/summary.html", context)


def summary_context(citizen_request, page_link) -> dict:
    """The récapitulatif of a draft: its pages with their « Modifier » links, what is
    missing (each with the page to complete it on), the documents."""
    missing = selectors.missing_answers(citizen_request)
    for row in missing:
        row["url"] = f"{page_link(citizen_request, row['page'])}#{row['anchor']}"
    pages = selectors.answers_by_page(citizen_request)
    for shown_page in pages:
        shown_page["url"] = page_link(citizen_request, shown_page["index"])
    return {
        "draft": citizen_request,
        "missing": missing,
        "pages": pages,
        "documents": selectors.documents_for_display(citizen_request),
        "edit_url": page_link(citizen_request, 0),
        "last_page_url": page_link(citizen_request, pages[-1]["index"] if pages else 0),
    }


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
