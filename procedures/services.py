"""Every write to a request: drafts, submission, transitions, documents."""

import logging
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
from notifications.models import Message
from procedures import notify, selectors
from procedures.models import (
    DocumentRequirement,
    Procedure,
    Request,
    RequestDocument,
    RequestEvent,
)
from procedures.models import RequestState as S
from procedures.numbering import next_request_number
from procedures.uploads import MAX_DOCUMENTS_PER_REQUEST, validate_upload

log = logging.getLogger(__name__)
# Transitions a clerk may trigger from the admin, and whether they need a comment.
CLERK_TRANSITIONS = {
    "start": False,
    "ask_citizen": True,
    "accept": False,
    "refuse": True,
    "complete": False,
}


class RequestError(Exception):
    """A refused action, with a French message for the person who tried it."""


def account_address(account: User) -> str:
    return f"{account.address}, {account.postal_code} {account.city}".strip(", ")


def snapshot_subject(request: Request, *, account: User, member: Member | None) -> None:
    """Copy what the account knows, so that later edits of the household rewrite nothing."""
    request.member = member
    if member is not None:
        request.subject_name = member.full_name
        request.subject_birth_date = member.birth_date
    else:
        request.subject_name = _("Foyer de %(name)s") % {"name": account.get_full_name()}
        request.subject_birth_date = None
    request.address = account_address(account)
    request.contact_email = account.email


def record(
    request: Request, *, actor: User | None, transition: str, from_state: str, comment: str = ""
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=request,
        from_state=from_state,
        to_state=request.state,
        transition=transition,
        actor=actor,
        by_staff=bool(actor and actor.is_staff),
        comment=comment,
    )
    notify.request_changed(request, event)
    if settings.PDF_PREBUILD:
        from procedures import tasks

        enqueue_on_commit(tasks.build_request_pdf, request.pk)
    log.info(
        "request %s: %s -> %s",
        transition,
        from_state,
        request.state,
        extra={"request_number": request.number, "account_id": request.account_id},
    )
    return event


@atomic_with_files()
def document_add(
    *,
    request: Request,
    upload,
    requirement: DocumentRequirement | None = None,
    field_name: str = "",
) -> RequestDocument:
    """Check the file by content, size and count, then store it under a random name."""
    content_type = validate_upload(upload)
    # Lock the request: two uploads at once must not both pass the count.
    Request.objects.select_for_update().filter(pk=request.pk).first()
    if request.documents.count() >= MAX_DOCUMENTS_PER_REQUEST:
        raise ValidationError(
            _("Une demande compte au plus %(max)s documents.") % {"max": MAX_DOCUMENTS_PER_REQUEST},
            code="too_many",
        )
    if requirement is not None or field_name:
        # The replaced files follow their rows after commit (privacy.receivers).
        request.documents.filter(requirement=requirement, field_name=field_name).delete()
    return RequestDocument.objects.create(
        request=request,
        requirement=requirement,
        field_name=field_name,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
    )


@atomic_with_files()
def request_draft_save(
    *,
    account: User,
    procedure: Procedure,
    member: Member | None,
    answers: dict,
    uploads: list[tuple] = (),
    request: Request | None = None,
) -> Request:
    """Create or update a draft with its answers and documents ((requirement, field, file))."""
    if request is None:
        request = Request(procedure=procedure, account=account)
    elif not request.is_draft:
        raise RequestError(_("Cette demande a déjà été envoyée : elle ne peut plus être modifiée."))
    snapshot_subject(request, account=account, member=member)
    request.answers = answers
    request.save()
    for requirement, field_name, upload in uploads:
        document_add(request=request, upload=upload, requirement=requirement, field_name=field_name)
    return request


def incomplete_message(missing: list[dict]) -> str:
    return _("Votre demande est incomplète ; complétez avant de l'envoyer : %(fields)s.") % {
        "fields": ", ".join(f"« {row['label']} »" for row in missing)
    }


@transaction.atomic
def request_submit(*, request: Request, by: User) -> Request:
    """« Envoyer ma demande »: give it its number and make it « Reçue »."""
    locked = (
        Request.objects.select_for_update(of=("self",)).select_related("member").get(pk=request.pk)
    )
    if not locked.is_draft:
        return locked  # A double click sends it once.
    if locked.member_id is not None:
        # Lock the member as member_remove does: a removal running now waits for this
        # submission, then sees the request and refuses.
        Member.objects.select_for_update().filter(pk=locked.member_id).first()
    missing = selectors.missing_answers(locked)
    if missing:
        # A draft may be kept incomplete; a request is sent whole.
        raise RequestError(incomplete_message(missing))
    if locked.procedure.concerns_a_member and locked.member is None:
        raise RequestError(_("La personne concernée ne fait plus partie du foyer."))
    snapshot_subject(locked, account=by, member=locked.member)
    locked.submit()
    locked.number = next_request_number(timezone.localdate().year)
    locked.save()
    record(locked, actor=by, transition="submit", from_state=S.DRAFT)
    return locked


@transaction.atomic
def request_transition(
    *,
    request: Request,
    name: str,
    by: User,
    comment: str = "",
    appointment_date: date | None = None,
) -> Request:
    """A clerk moves a request; illegal moves raise, a refusal needs its reason."""
    if name not in CLERK_TRANSITIONS:
        raise RequestError(_("Action inconnue."))
    comment = comment.strip()
    if CLERK_TRANSITIONS[name] and not comment:
        raise RequestError(
            _("Un commentaire est obligatoire pour cette action (il est envoyé au demandeur).")
        )
    # Lock the row: two clerks acting at once must not both move it.
    locked = Request.objects.select_for_update().get(pk=request.pk)
    from_state = locked.state
    try:
        getattr(locked, name)()
    except TransitionNotAllowed as error:
        raise RequestError(
            _("Cette action n'est pas possible lorsque la demande est « %(state)s ».")
            % {"state": locked.get_state_display()}
        ) from error
    if name == "accept" and appointment_date is not None:
        locked.appointment_date = appointment_date
    locked.save()
    record(locked, actor=by, transition=name, from_state=from_state, comment=comment)
    return locked


@transaction.atomic
def request_inform(*, request: Request, by: User, text: str) -> RequestEvent:
    """A clerk's « Information » to the citizen (come to the Guichet Unique with…)."""
    text = text.strip()
    if not text:
        raise RequestError(_("Écrivez le message à envoyer."))
    locked = Request.objects.select_for_update().get(pk=request.pk)
    if locked.is_draft:
        raise RequestError(_("Un brouillon n'est pas encore une demande."))
    # The history changed: touching the row also renews the cached PDF.
    locked.save(update_fields=["updated_at"])
    return record(locked, actor=by, transition="inform", from_state=locked.state, comment=text)


@transaction.atomic
def request_cancel(*, request: Request, by: User) -> Request:
    """The citizen cancels while nothing has started."""
    locked = Request.objects.select_for_update().get(pk=request.pk)
    if locked.state == S.CANCELLED:
        return locked
    try:
        locked.cancel()
    except TransitionNotAllowed as error:
        raise RequestError(
            _(
                "Le traitement de cette demande a commencé : elle ne peut plus être annulée. "
                "Contactez le Guichet Unique."
            )
        ) from error
    locked.save()
    record(locked, actor=by, transition="cancel", from_state=S.SUBMITTED)
    return locked


@transaction.atomic
def request_withdraw(*, request: Request, by: User) -> Request:
    """The citizen closes the account and agreed that the open requests stop first."""
    locked = Request.objects.select_for_update().get(pk=request.pk)
    if locked.state == S.CANCELLED:
        return locked
    from_state = locked.state
    locked.withdraw()
    locked.save()
    comment = _("Demande annulée à la fermeture du compte.")
    record(locked, actor=by, transition="withdraw", from_state=from_state, comment=comment)
    return locked


@atomic_with_files()
def request_reply(*, request: Request, by: User, message: str, uploads=()) -> Request:
    """The citizen answers the service (a message, the missing documents): back « En cours »."""
    locked = Request.objects.select_for_update().get(pk=request.pk)
    if not message.strip() and not uploads:
        raise RequestError(_("Écrivez un message ou joignez un document."))
    try:
        locked.citizen_reply()
    except TransitionNotAllowed as error:
        raise RequestError(_("Le service n'attend pas de réponse pour cette demande.")) from error
    for upload in uploads:
        document_add(request=locked, upload=upload)
    locked.save()
    record(
        locked, actor=by, transition="citizen_reply", from_state=S.WAITING, comment=message.strip()
    )
    return locked


@transaction.atomic
def request_draft_delete(*, request: Request) -> None:
    if not request.is_draft:
        raise RequestError(_("Seul un brouillon peut être supprimé."))
    delete_with_files(Request.objects.filter(pk=request.pk))


def delete_with_files(requests) -> int:
    """Delete requests with their messages, documents and cached PDFs."""
    from procedures.pdf import pdf_delete_all

    pks = list(requests.values_list("pk", flat=True))
    documents = list(RequestDocument.objects.filter(request__in=pks))
    Message.objects.filter(topic__in=[f"request:{pk}" for pk in pks]).delete()
    Request.objects.filter(pk__in=pks).delete()

    def delete_files():
        for document in documents:
            document.file.delete(save=False)
        for pk in pks:
            pdf_delete_all(pk)

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
    closed = (S.REFUSED, S.DONE, S.CANCELLED)
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
        Request.objects.filter(state__in=(S.ACCEPTED, S.REFUSED, S.DONE, S.CANCELLED))
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
    contact details go, what the register needs (act, subject, dates) stays."""
    return requests.update(account=None, member=None, contact_email="", address="")


@transaction.atomic
def drafts_purge(*, now=None) -> int:
    return delete_with_files(stale_drafts(now=now))


@transaction.atomic
def anonymous_requests_purge(*, now=None) -> int:
    return delete_with_files(stale_anonymous_requests(now=now))
