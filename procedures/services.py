"""Every write to a request: drafts, submission, transitions, documents."""

import logging
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from accounts.models import User
from common.files import atomic_with_files
from common.queueing import enqueue_on_commit
from households.models import Member
from notifications.services import messages_delete_about
from notifications.topics import request_topic
from procedures import answers as answer_reading
from procedures import notify, routing, selectors, steps, transitions
from procedures.catalogue.conditions import prune
from procedures.catalogue.definition import definition_of
from procedures.decisions.documents import document_issue
from procedures.models import (
    DocumentRequirement,
    Procedure,
    Request,
    RequestDocument,
    RequestEvent,
    RequestNote,
    RequestState,
)
from procedures.numbering import next_request_number
from procedures.uploads import MAX_DOCUMENTS_PER_REQUEST, validate_upload

log = logging.getLogger(__name__)


class RequestError(Exception):
    """A refused action, with a French message for the person who tried it."""


def account_address(account: User) -> str:
    return f"{account.address}, {account.postal_code} {account.city}".strip(", ")


def snapshot_subject(citizen_request: Request, *, account: User, member: Member | None) -> None:
    """Copy what the account knows, so that later edits of the household rewrite nothing."""
    citizen_request.member = member
    if member is not None:
        citizen_request.subject_name = member.full_name
        citizen_request.subject_birth_date = member.birth_date
    else:
        citizen_request.subject_name = _("Foyer de %(name)s") % {"name": account.get_full_name()}
        citizen_request.subject_birth_date = None
    citizen_request.address = account_address(account)
    citizen_request.contact_email = account.email


def record(
    citizen_request: Request,
    *,
    actor: User | None,
    transition: str,
    from_state: str,
    comment: str = "",
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=citizen_request,
        from_state=from_state,
        to_state=citizen_request.state,
        transition=transition,
        actor=actor,
        by_staff=bool(actor and actor.is_staff),
        comment=comment,
    )
    # What the decision produces (« Autorisation de stationnement »), attached to its mail.
    document = document_issue(citizen_request=citizen_request, event=event)
    notify.request_changed(citizen_request, event, document=document)
    if settings.PDF_PREBUILD:
        from procedures import tasks

        enqueue_on_commit(tasks.build_request_pdf, citizen_request.pk)
    log.info(
        "request %s: %s -> %s",
        transition,
        from_state,
        citizen_request.state,
        extra={"request_number": citizen_request.number, "account_id": citizen_request.account_id},
    )
    return event


@atomic_with_files()
def document_add(
    *,
    citizen_request: Request,
    upload,
    requirement: DocumentRequirement | None = None,
    field_name: str = "",
) -> RequestDocument:
    """Check the file by content, size and count, then store it under a random name."""
    content_type = validate_upload(upload)
    # Lock the request: two uploads at once must not both pass the count.
    Request.objects.select_for_update().filter(pk=citizen_request.pk).first()
    if citizen_request.documents.count() >= MAX_DOCUMENTS_PER_REQUEST:
        raise ValidationError(
            _("Une demande compte au plus %(max)s documents.") % {"max": MAX_DOCUMENTS_PER_REQUEST},
            code="too_many",
        )
    if requirement is not None or field_name:
        # The replaced files follow their rows after commit (privacy.receivers).
        citizen_request.documents.filter(requirement=requirement, field_name=field_name).delete()
    return RequestDocument.objects.create(
        request=citizen_request,
        requirement=requirement,
        field_name=field_name,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
    )


# What saving a draft writes (snapshot_subject, the answers): never its state or number.
DRAFT_FIELDS = (
    "member",
    "subject_name",
    "subject_birth_date",
    "address",
    "contact_email",
    "answers",
    "updated_at",
)

# ``member`` of ``request_draft_save`` when the posted page does not ask whom.
KEEP_MEMBER = object()


def locked_draft(citizen_request: Request) -> Request:
    """The draft, locked: two pages saved at once (two tabs) must not lose each other's
    answers, and nothing is written into a request sent meanwhile."""
    locked = (
        Request.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=citizen_request.pk)
    )
    if not locked.is_draft:
        raise RequestError(_("Cette demande a déjà été envoyée : elle ne peut plus être modifiée."))
    return locked


@atomic_with_files()
def request_draft_save(
    *,
    account: User,
    procedure: Procedure,
    member: Member | None | object = KEEP_MEMBER,
    answers: dict,
    uploads: Sequence[tuple] = (),
    citizen_request: Request | None = None,
    page_names: Iterable[str] | None = None,
) -> Request:
    """Create or update a draft with its answers and documents ((requirement id, field,
    file)).

    ``page_names``: the questions and blocks of the page that was posted, whose answers
    ``answers`` replaces (those of the other pages are kept); None replaces them all.
    Whatever the conditions then hide is dropped: a hidden question is never stored,
    whatever was posted for it.
    """
    if citizen_request is None:
        citizen_request = Request(procedure=procedure, account=account)
        kept = {}
    else:
        citizen_request = locked_draft(citizen_request)
        kept = dict(citizen_request.answers) if page_names is not None else {}
    for name in page_names or ():
        kept.pop(name, None)
    kept.update(answers)
    if member is not KEEP_MEMBER:
        assert member is None or isinstance(member, Member)
        snapshot_subject(citizen_request, account=account, member=member)
    citizen_request.answers = prune(
        definition_of(procedure), kept, answer_reading.subject_of(citizen_request)
    )
    citizen_request.save(update_fields=None if citizen_request._state.adding else DRAFT_FIELDS)
    requirements = {doc.pk: doc for doc in procedure.documents.all()} if uploads else {}
    for requirement_id, field_name, upload in uploads:
        document_add(
            citizen_request=citizen_request,
            upload=upload,
            requirement=requirements.get(getattr(requirement_id, "pk", requirement_id)),
            field_name=field_name,
        )
    return citizen_request


@transaction.atomic
def request_counter_start(*, procedure: Procedure, account: User, by: User) -> Request:
    """A clerk starts a draft for a citizen at the counter (``procedures.counter``)."""
    citizen_request = Request(procedure=procedure, account=account, entered_by=by)
    snapshot_subject(citizen_request, account=account, member=None)
    citizen_request.save()
    log.info(
        "counter draft started",
        extra={"account_id": account.pk, "staff_id": by.pk, "procedure": procedure.slug},
    )
    return citizen_request


def incomplete_message(missing: list[dict]) -> str:
    return _("Votre demande est incomplète ; complétez avant de l'envoyer : %(fields)s.") % {
        "fields": ", ".join(f"« {row['label']} »" for row in missing)
    }


@transaction.atomic
def request_submit(*, citizen_request: Request, by: User) -> Request:
    """« Envoyer ma demande »: give it its number and make it « Reçue ». ``by`` is the
    citizen, or the clerk who filled it at the counter (the history says so)."""
    citizen_request = (
        Request.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=citizen_request.pk)
    )
    if not citizen_request.is_draft:
        return citizen_request  # A double click sends it once.
    if citizen_request.member_id is not None:
        # Lock the member as member_remove does: a removal running now waits for this
        # submission, then sees the request and refuses.
        Member.objects.select_for_update().filter(pk=citizen_request.member_id).first()
    missing = selectors.missing_answers(citizen_request)
    if missing:
        # A draft may be kept incomplete; a request is sent whole.
        raise RequestError(incomplete_message(missing))
    if citizen_request.procedure.concerns_a_member and citizen_request.member is None:
        raise RequestError(_("La personne concernée ne fait plus partie du foyer."))
    snapshot_subject(
        citizen_request, account=citizen_request.account or by, member=citizen_request.member
    )
    # The form as it is now stays with the request: later edits of the catalogue change
    # neither its récapitulatif nor its PDF.
    definition = definition_of(citizen_request.procedure)
    citizen_request.definition = definition.to_json()
    citizen_request.definition_revision = definition.revision
    citizen_request.service_group = routing.routed_group(
        procedure=citizen_request.procedure, answers=citizen_request.answers
    )
    citizen_request.submit()
    citizen_request.number = next_request_number(timezone.localdate().year)
    citizen_request.save()
    # The clerk is the event's actor (the admin's history names them; the citizen reads
    # « la mairie »); the comment says where it was filled.
    comment = _("Saisie au guichet") if citizen_request.entered_by_id is not None else ""
    record(
        citizen_request,
        actor=by,
        transition="submit",
        from_state=RequestState.DRAFT,
        comment=comment,
    )
    return citizen_request


@transaction.atomic
def request_transition(
    *,
    citizen_request: Request,
    name: str,
    by: User,
    comment: str = "",
    appointment_date: date | None = None,
) -> Request:
    """A clerk moves a request; illegal moves raise, a refusal needs its reason."""
    clerk_transition = transitions.clerk_transition(name)
    if clerk_transition is None:
        raise RequestError(_("Action inconnue."))
    procedure = citizen_request.procedure
    if not steps.offers(procedure, name):
        # A crafted POST of an action the procedure does not use: refused, nothing changed.
        raise RequestError(_("Cette démarche n'utilise pas cette action."))
    comment = comment.strip()
    if steps.comment_required(procedure, clerk_transition) and not comment:
        raise RequestError(
            _("Un commentaire est obligatoire pour cette action (il est envoyé au demandeur).")
        )
    # Lock the row: two clerks acting at once must not both move it.
    citizen_request = Request.objects.select_for_update().get(pk=citizen_request.pk)
    from_state = citizen_request.state
    try:
        getattr(citizen_request, name)()
    except TransitionNotAllowed as error:
        raise RequestError(
            _("Cette action n'est pas possible lorsque la demande est « %(state)s ».")
            % {"state": citizen_request.get_state_display()}
        ) from error
    if clerk_transition.sets_appointment and appointment_date is not None:
        citizen_request.appointment_date = appointment_date
    citizen_request.save()
    record(citizen_request, actor=by, transition=name, from_state=from_state, comment=comment)
    return citizen_request


@transaction.atomic
def request_inform(*, citizen_request: Request, by: User, text: str) -> RequestEvent:
    """A clerk's « Information » to the citizen (come to the Guichet Unique with…)."""
    text = text.strip()
    if not text:
        raise RequestError(_("Écrivez le message à envoyer."))
    citizen_request = Request.objects.select_for_update().get(pk=citizen_request.pk)
    try:
        citizen_request.inform()  # Leaves the state as it is; a draft refuses.
    except TransitionNotAllowed as error:
        raise RequestError(_("Un brouillon n'est pas encore une demande.")) from error
    # The history changed: touching the row also renews the cached PDF.
    citizen_request.save(update_fields=["updated_at"])
    return record(
        citizen_request,
        actor=by,
        transition="inform",
        from_state=citizen_request.state,
        comment=text,
    )


@transaction.atomic
def request_cancel(*, citizen_request: Request, by: User) -> Request:
    """The citizen cancels while nothing has started."""
    citizen_request = Request.objects.select_for_update().get(pk=citizen_request.pk)
    if citizen_request.state == RequestState.CANCELLED:
        return citizen_request
    try:
        citizen_request.cancel()
    except TransitionNotAllowed as error:
        raise RequestError(
            _(
                "Le traitement de cette demande a commencé : elle ne peut plus être annulée. "
                "Contactez le Guichet Unique."
            )
        ) from error
    citizen_request.save()
    record(citizen_request, actor=by, transition="cancel", from_state=RequestState.SUBMITTED)
    return citizen_request


@transaction.atomic
def request_withdraw(*, citizen_request: Request, by: User) -> Request:
    """The citizen closes the account and agreed that the open requests stop first."""
    citizen_request = Request.objects.select_for_update().get(pk=citizen_request.pk)
    if citizen_request.state == RequestState.CANCELLED:
        return citizen_request
    from_state = citizen_request.state
    citizen_request.withdraw()
    citizen_request.save()
    comment = _("Demande annulée à la fermeture du compte.")
    record(citizen_request, actor=by, transition="withdraw", from_state=from_state, comment=comment)
    return citizen_request


@atomic_with_files()
def request_reply(*, citizen_request: Request, by: User, message: str, uploads=()) -> Request:
    """The citizen answers the service (a message, the missing documents): back « En cours »."""
    citizen_request = Request.objects.select_for_update().get(pk=citizen_request.pk)
    if not message.strip() and not uploads:
        raise RequestError(_("Écrivez un message ou joignez un document."))
    try:
        citizen_request.citizen_reply()
    except TransitionNotAllowed as error:
        raise RequestError(_("Le service n'attend pas de réponse pour cette demande.")) from error
    for upload in uploads:
        document_add(citizen_request=citizen_request, upload=upload)
    citizen_request.save()
    record(
        citizen_request,
        actor=by,
        transition="citizen_reply",
        from_state=RequestState.WAITING,
        comment=message.strip(),
    )
    return citizen_request


@transaction.atomic
def request_draft_delete(*, citizen_request: Request) -> None:
    if not citizen_request.is_draft:
        raise RequestError(_("Seul un brouillon peut être supprimé."))
    delete_with_files(Request.objects.filter(pk=citizen_request.pk))


def delete_with_files(requests) -> int:
    """Delete requests with their messages, documents and cached PDFs."""
    from procedures.decisions.files import decisions_delete_all
    from procedures.pdf import pdf_delete_all

    pks = list(requests.values_list("pk", flat=True))
    documents = list(RequestDocument.objects.filter(request__in=pks))
    messages_delete_about(topics=[request_topic(pk) for pk in pks])
    Request.objects.filter(pk__in=pks).delete()

    def delete_files():
        for document in documents:
            document.file.delete(save=False)
        for pk in pks:
            pdf_delete_all(pk)
            decisions_delete_all(pk)

    # Files go once the rows are gone for good.
    transaction.on_commit(delete_files)
    return len(pks)


def stale_drafts(*, now=None):
    """Drafts are kept DRAFT_RETENTION_DAYS (30) after their last change."""
    limit = (now or timezone.now()) - timedelta(days=settings.DRAFT_RETENTION_DAYS)
    return Request.objects.drafts().filter(updated_at__lt=limit)


def stale_anonymous_requests(*, now=None):
    """Closed requests made without an account, past the retention period of settings."""
    limit = (now or timezone.now()) - timedelta(days=settings.ANONYMOUS_REQUEST_RETENTION_DAYS)
    closed = (RequestState.REFUSED, RequestState.DONE, RequestState.CANCELLED, RequestState.CLOSED)
    # Without a tracking code, a request kept from a closed account: see stale_requests.
    return Request.objects.filter(
        account=None, tracking_code__isnull=False, state__in=closed, updated_at__lt=limit
    )


def stale_requests(*, now=None):
    """Decided requests (and cancelled ones), REQUEST_RETENTION_YEARS after the decision."""
    now = now or timezone.now()
    try:
        limit = now.replace(year=now.year - settings.REQUEST_RETENTION_YEARS)
    except ValueError:  # 29 February
        limit = now.replace(year=now.year - settings.REQUEST_RETENTION_YEARS, day=28)
    decided = Coalesce("decided_at", "updated_at")
    return (
        Request.objects.filter(
            state__in=(
                RequestState.ACCEPTED,
                RequestState.REFUSED,
                RequestState.DONE,
                RequestState.CANCELLED,
                RequestState.CLOSED,
            )
        )
        .exclude(account=None, tracking_code__isnull=False)  # Their own period, above.
        .alias(decided=decided)
        .filter(decided__lt=limit)
    )


@transaction.atomic
def requests_purge(*, now=None) -> int:
    return delete_with_files(stale_requests(now=now))


@transaction.atomic
def requests_detach(*, requests) -> int:
    """Keep requests without their account (the civil-status register): the person's
    contact details go, what the register needs (act, subject, dates) stays; so do the
    service's notes (procedures.desk.notes), which may speak of the person."""
    RequestNote.objects.filter(request__in=requests).delete()
    return requests.update(account=None, member=None, contact_email="", address="")


@transaction.atomic
def drafts_purge(*, now=None) -> int:
    return delete_with_files(stale_drafts(now=now))


@transaction.atomic
def anonymous_requests_purge(*, now=None) -> int:
    return delete_with_files(stale_anonymous_requests(now=now))
