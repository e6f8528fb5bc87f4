"""Reads of the appointments that several views share."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from appointments.models import Agenda, Booking
from appointments.slots import with_calendar


def bookable_agendas() -> QuerySet[Agenda]:
    return Agenda.objects.published().select_related("place").order_by("place__name", "order")


def bookable_agenda(*, slug: str) -> Agenda | None:
    return with_calendar(Agenda.objects.published().filter(slug=slug)).first()


def upcoming_bookings(*, account, now: datetime | None = None) -> QuerySet[Booking]:
    """« Mes rendez-vous » on « Accueil »: the account's appointments to come."""
    return (
        Booking.objects.for_account(account)
        .upcoming(now or timezone.now())
        .select_related("agenda__place")
        .order_by("starts_at")
    )


def agendas_for_staff(user) -> QuerySet[Agenda]:
    """The agendas a clerk handles: every one for a superuser or whoever defines agendas,
    else those linked to one of their groups (``Agenda.groups``)."""
    if user.is_superuser or user.has_perm("appointments.change_agenda"):
        return Agenda.objects.all()
    return Agenda.objects.filter(groups__in=user.groups.all()).distinct()


def outcome_counts() -> dict[str, Count]:
    """The aggregates of appointments held (« Présent »), absent (no-shows), cancelled:
    for the planning's line and the figures of « Statistiques »."""
    return {
        "present": Count("pk", filter=Q(state=Booking.State.PRESENT)),
        "absent": Count("pk", filter=Q(state=Booking.State.ABSENT)),
        "cancelled": Count("pk", filter=Q(state=Booking.State.CANCELLED)),
    }


def no_show_counts(agendas) -> dict[int, dict]:
    """Per agenda: appointments held, absent (no-shows), cancelled."""
    rows = (
        Booking.objects.filter(agenda__in=agendas)
        .order_by()
        .values("agenda")
        .annotate(**outcome_counts())
    )
    return {row["agenda"]: dict(row) for row in rows}
