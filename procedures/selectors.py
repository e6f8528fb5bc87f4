"""Reads shared by the request views, with their joins in place."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from procedures import answers
from procedures.catalogue.conditions import visible_documents
from procedures.catalogue.definition import definition_of, request_definition
from procedures.models import Procedure, Request, RequestQuerySet, RequestState


def requests_for_account(*, account: User) -> RequestQuerySet:
    """The citizen's requests: another account's id is a 404 through this door."""
    return Request.objects.for_account(account).select_related("procedure__theme", "member")


# How every list of sent requests is ordered.
NEWEST_FIRST = ("-submitted_at", "-pk")


def submitted_requests(*, account: User) -> QuerySet[Request]:
    return requests_for_account(account=account).submitted().order_by(*NEWEST_FIRST)


# What a list row shows: a number, a title, a person, a date and a state.
ROW_FIELDS = ("number", "state", "submitted_at", "updated_at", "subject_name", "procedure__title")


def as_rows(requests: QuerySet[Request]) -> QuerySet[Request]:
    """Only the columns a list row shows: no answers to decode, no theme, no member."""
    return requests.select_related("procedure").only(*ROW_FIELDS)


def request_rows(*, account: User, state: str = "") -> QuerySet[Request]:
    """« Demandes »: the sent requests as list rows, newest first, in one state or all
    (the view checks ``state``)."""
    rows = as_rows(Request.objects.for_account(account).submitted())
    if state:
        rows = rows.filter(state=state)
    return rows.order_by(*NEWEST_FIRST)


def dashboard_requests(*, account: User, count: int) -> tuple[list[Request], list[Request]]:
    """(the ``count`` newest sent requests, every draft) of « Accueil », as list rows, in
    one query: the drafts, and the sent ones whose ids a subquery picks."""
    own = Request.objects.for_account(account)
    newest = own.submitted().order_by(*NEWEST_FIRST).values("pk")[:count]
    rows = as_rows(own.filter(Q(state=RequestState.DRAFT) | Q(pk__in=newest)))
    rows = rows.order_by(*NEWEST_FIRST)
    sent: list[Request] = []
    drafts: list[Request] = []
    for row in rows:
        (drafts if row.is_draft else sent).append(row)
    drafts.sort(key=lambda row: row.updated_at, reverse=True)
    return sent, drafts


def drafts(*, account: User) -> QuerySet[Request]:
    return requests_for_account(account=account).drafts().order_by("-updated_at")


def answers_for_display(request: Request) -> list[dict]:
    """Each question shown with the answer as the citizen reads it (``procedures.answers``),
    read with the form the request was sent with."""
    if request.procedure.kind == Procedure.Kind.CIVIL_STATUS:
        from procedures.civil_status import answer_rows

        return answer_rows(request.answers)
    return answers.answer_rows(request)


def answers_by_page(request: Request) -> list[dict]:
    """The récapitulatif: each page shown, with its answers (``procedures.answers``)."""
    return answers.answer_pages(request)


def missing_answers(request: Request) -> list[dict]:
    """What a draft still lacks before it can be sent: the person concerned and each
    required answer shown by the conditions (a file for a file field), as (page,
    anchor, label) for the form's links.

    A draft may be kept incomplete; « Continuer vers le récapitulatif » and the sending
    check it whole, against the catalogue's current form.
    """
    procedure = request.procedure
    if procedure.kind == Procedure.Kind.CIVIL_STATUS:
        return []
    missing = []
    # A member chosen then removed from the household left a birth date in the snapshot.
    never_chosen = request.member_id is None and request.subject_birth_date is None
    if procedure.concerns_a_member and never_chosen:
        missing.append({"page": 0, "anchor": "id_member_0", "label": _("Personne concernée")})
    return missing + answers.missing(request, definition_of(procedure))


def documents_for_display(request: Request) -> list[dict]:
    """Each expected document the conditions ask for: the file received, or « à apporter
    sur papier »."""
    received = {doc.requirement_id: doc for doc in request.documents.all() if doc.requirement_id}
    definition = request_definition(request)
    expected = visible_documents(definition, request.answers or {}, answers.subject_of(request))
    rows = [
        {"label": doc.label, "document": received.get(doc.id) if doc.id else None}
        for doc in expected
    ]
    extra = [
        doc for doc in request.documents.all() if not doc.requirement_id and not doc.field_name
    ]
    rows += [{"label": doc.original_name, "document": doc} for doc in extra]
    return rows


def request_with_details(queryset: QuerySet[Request]) -> QuerySet[Request]:
    return queryset.select_related("procedure__theme", "member", "account").prefetch_related(
        "procedure__pages",
        "procedure__blocks",
        "procedure__fields",
        "procedure__documents",
        "procedure__conditions",
        "documents",
        "events__actor",
        "decision_documents",
    )
