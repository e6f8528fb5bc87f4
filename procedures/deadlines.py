"""Deadlines that act by themselves (the « timeout » jumps of w.c.s.), per procedure.

- waiting for the citizen: a reminder after ``waiting_reminder_days``, then « Classée sans
  suite » after ``waiting_closure_days``, counted from the last « En attente »;
- received and not taken in charge after ``untaken_alert_days``: one mail a day to each
  clerk of the group that handles them, listing them;
- the silence rule: the day after its date, « Acceptée » by a « Décision implicite
  d'acceptation » (with its attestation, procedures.decisions) or « Refusée » with the
  means of appeal.

Run by the beat (procedures.tasks.run_deadlines) and by ``manage.py run_deadlines`` for
cron; one run at a time (common.locks). Safe to run twice: each decision locks its
request and checks again that it is still due, as a clerk's transition does, so that a
clerk deciding at that very moment and the deadline make one decision between them;
reminders and digests are deduplicated by their outbox key.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from notifications.models import MessageKind
from notifications.services import message_queue
from procedures import notify, queue, routing
from procedures.models import Procedure, Request, RequestEvent, RequestState
from procedures.services import record

log = logging.getLogger(__name__)

LOCK_NAME = "run-deadlines"
IMPLICIT = {
    Procedure.Silence.ACCEPTANCE: "accept_implicitly",
    Procedure.Silence.REFUSAL: "refuse_implicitly",
}


@dataclass
class DeadlinesReport:
    reminders: int = 0
    closures: int = 0
    implicit_acceptances: int = 0
    implicit_refusals: int = 0
    digests: int = 0
    digest_requests: set[int] = field(default_factory=set)

    def summary(self) -> str:
        return (
            f"Relances : {self.reminders} · classées sans suite : {self.closures} · "
            f"acceptations implicites : {self.implicit_acceptances} · "
            f"rejets implicites : {self.implicit_refusals} · "
            f"courriels aux agents : {self.digests} "
            f"({len(self.digest_requests)} demandes non prises en charge)"
        )


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def deadlines_run(*, today: date | None = None) -> DeadlinesReport:
    """Everything due today; each decision in its own transaction."""
    today = today or timezone.localdate()
    report = DeadlinesReport()
    for pk in silence_due(today=today):
        name = request_silence_decide(pk=pk, today=today)
        if name == "accept_implicitly":
            report.implicit_acceptances += 1
        elif name == "refuse_implicitly":
            report.implicit_refusals += 1
    for citizen_request in waiting_requests():
        days = (today - timezone.localdate(citizen_request.waiting_since)).days
        procedure = citizen_request.procedure
        if procedure.waiting_closure_days and days >= procedure.waiting_closure_days:
            report.closures += request_close_unanswered(pk=citizen_request.pk, today=today)
        elif procedure.waiting_reminder_days and days >= procedure.waiting_reminder_days:
            report.reminders += waiting_reminder_send(citizen_request)
    untaken_digests_send(today=today, report=report)
    log.info("deadlines: %s", report.summary())
    return report


# The silence rule


def silence_due(*, today: date) -> list[int]:
    """Undecided requests whose silence date is before today, one query per procedure
    with a rule (a town has a few dozen): the date is ``submitted + delay``."""
    due = []
    ruled = Procedure.objects.exclude(silence_rule="").filter(silence_delay_days__gt=0)
    for procedure in ruled.only("pk", "silence_delay_days"):
        limit = day_start(today - timedelta(days=procedure.silence_delay_days))
        due += Request.objects.filter(
            procedure=procedure, state__in=queue.UNDECIDED_STATES, submitted_at__lt=limit
        ).values_list("pk", flat=True)
    return due


@transaction.atomic
def request_silence_decide(*, pk: int, today: date) -> str | None:
    """The implicit decision of one request, or None when it is no longer due."""
    # The lock of every transition (services.request_transition): a clerk deciding now
    # waits for this one, then finds the request decided and is told so; or this waits
    # for the clerk and finds it decided.
    citizen_request = (
        Request.objects.select_for_update(of=("self",)).select_related("procedure").get(pk=pk)
    )
    deadline = queue.silence_deadline(citizen_request)
    name = IMPLICIT.get(citizen_request.procedure.silence_rule)
    if deadline is None or deadline >= today or name is None:
        return None
    from_state = citizen_request.state
    getattr(citizen_request, name)()
    citizen_request.save()
    record(citizen_request, actor=None, transition=name, from_state=from_state)
    return name


# Waiting for the citizen


def last_wait(field_name: str) -> Subquery:
    return Subquery(
        RequestEvent.objects.filter(request=OuterRef("pk"), to_state=RequestState.WAITING)
        .order_by("-at", "-pk")
        .values(field_name)[:1]
    )


def waiting_requests():
    """« En attente » requests of procedures with a reminder or a closure delay."""
    return (
        Request.objects.filter(state=RequestState.WAITING)
        .filter(
            Q(procedure__waiting_reminder_days__gt=0) | Q(procedure__waiting_closure_days__gt=0)
        )
        .select_related("procedure", "account")
        .annotate(waiting_since=last_wait("at"), waiting_event=last_wait("pk"))
        .exclude(waiting_since=None)
    )


def waiting_reminder_send(citizen_request: Request) -> int:
    """One reminder per wait (the outbox's key names the « En attente » event)."""
    event = RequestEvent.objects.get(pk=citizen_request.waiting_event)
    message = message_queue(
        kind=MessageKind.REMINDER,
        template="request_waiting_reminder",
        context=notify.context_for(citizen_request, event),
        to_email=citizen_request.contact_email,
        account=citizen_request.account,
        topic=notify.request_topic(citizen_request.pk),
        dedupe_key=f"{notify.request_topic(citizen_request.pk)}:waiting-reminder:{event.pk}",
    )
    return int(message is not None)


@transaction.atomic
def request_close_unanswered(*, pk: int, today: date) -> int:
    """« Classée sans suite », if it still waits and has waited long enough."""
    citizen_request = (
        Request.objects.select_for_update(of=("self",)).select_related("procedure").get(pk=pk)
    )
    if citizen_request.state != RequestState.WAITING:
        return 0  # The citizen answered, or a clerk decided, since the list was read.
    since = (
        citizen_request.events.filter(to_state=RequestState.WAITING)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    delay = citizen_request.procedure.waiting_closure_days
    if since is None or not delay or (today - timezone.localdate(since)).days < delay:
        return 0
    citizen_request.close_unanswered()
    citizen_request.save()
    record(
        citizen_request,
        actor=None,
        transition="close_unanswered",
        from_state=RequestState.WAITING,
    )
    return 1


# Received, not taken in charge


def untaken_requests(*, today: date):
    """« Reçue » requests older than their procedure's alert delay, with their groups."""
    candidates = (
        Request.objects.filter(state=RequestState.SUBMITTED, procedure__untaken_alert_days__gt=0)
        .select_related("procedure", "service_group")
        .prefetch_related("procedure__theme__groups")
        .order_by("submitted_at", "pk")
    )
    for citizen_request in candidates:
        days = (today - timezone.localdate(citizen_request.submitted_at)).days
        if days >= citizen_request.procedure.untaken_alert_days:
            citizen_request.days = days
            yield citizen_request


def digest_row(citizen_request: Request) -> dict:
    return {
        "number": citizen_request.number,
        "procedure": citizen_request.procedure,
        "submitted_at": citizen_request.submitted_at,
        "days": citizen_request.days,
        "silence_date": queue.silence_deadline(citizen_request),
        "admin_url": settings.SITE_URL
        + reverse("admin:procedures_request_change", args=[citizen_request.pk]),
    }


def untaken_digests_send(*, today: date, report: DeadlinesReport) -> None:
    """One mail a day to each active clerk of each group that handles such requests."""
    by_group: dict[int, list[dict]] = {}
    for citizen_request in untaken_requests(today=today):
        for group in routing.handling_groups(citizen_request):
            by_group.setdefault(group.pk, []).append(digest_row(citizen_request))
        report.digest_requests.add(citizen_request.pk)
    queue_url = settings.SITE_URL + reverse("admin:procedures_request_changelist")
    for group in Group.objects.filter(pk__in=by_group).prefetch_related("user_set"):
        for clerk in group.user_set.all():
            if not (clerk.is_active and clerk.is_staff and clerk.email):
                continue
            message = message_queue(
                kind=MessageKind.INFORMATION,
                template="untaken_digest",
                context={
                    "service_name": group.name,
                    "rows": by_group[group.pk],
                    "queue_url": queue_url,
                },
                to_email=clerk.email,
                dedupe_key=f"untaken-digest:{today.isoformat()}:{group.pk}:{clerk.pk}",
            )
            report.digests += int(message is not None)
