"""The appointments' section of « Statistiques » (backoffice.statistics), registered by
``AppointmentsConfig.ready``: per agenda, the appointments of the period (by the day
they were set for) — booked, held (« Présent »), no-shows (« Absent »), cancelled.

A service reads the agendas linked to its groups (``appointments.admin.booking_agendas``,
as for the bookings themselves), superusers every one. One grouped query.
"""

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appointments.admin import booking_agendas
from appointments.models import Booking
from appointments.selectors import outcome_counts
from backoffice.statistics.figures import Column, Figure, Period, SectionFigures, Series

VIEW_PERMISSION = "appointments.view_booking"
AGENDA = "agenda"
MEASURES = ("booked", "present", "absent", "cancelled")


def bookings_of_the_period(user, period: Period) -> QuerySet[Booking]:
    return Booking.objects.filter(
        starts_at__gte=period.since,
        starts_at__lt=period.until,
        agenda__in=booking_agendas(user),
    )


def agenda_counts(bookings: QuerySet[Booking]) -> list[dict]:
    """One grouped query: per agenda (its title and place), the bookings and their ends,
    in the agendas' order (``Agenda.Meta.ordering``)."""
    return list(
        bookings.order_by()
        .values("agenda", "agenda__title", "agenda__place__name")
        .annotate(booked=Count("pk"), **outcome_counts())
        .order_by("agenda__place__name", "agenda__order", "agenda__title", "agenda")
    )


def absence_rate(present: int, absent: int) -> float | None:
    """The share of no-shows among the appointments whose outcome was noted, in %."""
    noted = present + absent
    return 100 * absent / noted if noted else None


class AppointmentsSection:
    slug = "rendez-vous"
    title = gettext_lazy("Rendez-vous")
    order = 30

    def visible_to(self, user) -> bool:
        return user.is_superuser or user.has_perm(VIEW_PERMISSION)

    def figures_for(self, *, user, period: Period) -> SectionFigures:
        rows = [
            {
                AGENDA: f"{row['agenda__title']} — {row['agenda__place__name']}",
                **{key: row[key] for key in MEASURES},
                "rate": absence_rate(row["present"], row["absent"]),
            }
            for row in agenda_counts(bookings_of_the_period(user, period))
        ]
        state = Booking.State
        names = {
            "booked": _("Rendez-vous pris"),
            "present": str(state.PRESENT.label),
            "absent": str(state.ABSENT.label),
            "cancelled": str(state.CANCELLED.label),
        }
        total = {AGENDA: _("Tous les agendas")}
        total |= {key: sum(row[key] for row in rows) for key in MEASURES}
        total["rate"] = absence_rate(total["present"], total["absent"])
        figure = Figure(
            slug="rendez-vous",
            title=_("Rendez-vous et absences"),
            description=_(
                "Les rendez-vous fixés pendant la période, par agenda : combien ont été "
                "pris, combien de personnes sont venues (« Présent »), ne sont pas venues "
                "(« Absent ») ou ont annulé ; le tableau donne aussi la part des absents "
                "parmi les rendez-vous pointés."
            ),
            columns=[
                Column(AGENDA, _("Agenda"), numeric=False),
                *[Column(key, names[key]) for key in MEASURES],
                Column("rate", _("Absents parmi les rendez-vous pointés (%)")),
            ],
            rows=rows,
            category=AGENDA,
            series=[Series(key, names[key]) for key in MEASURES],
            total=total,
        )
        return SectionFigures(
            slug=self.slug,
            title=str(self.title),
            introduction=_("Les rendez-vous fixés pendant la période, de tous les agendas.")
            if user.is_superuser
            else _("Les rendez-vous fixés pendant la période, des agendas de votre service."),
            figures=[figure],
        )


def register() -> None:
    from backoffice.statistics.registry import section_register

    section_register(AppointmentsSection())
