"""An annex and its agendas, as a town would set them up (tests/appointments)."""

from datetime import time

from appointments.models import Agenda, OpeningHours, Place

MORNING = (time(9), time(12))
AFTERNOON = (time(14), time(17))


def place(**extra) -> Place:
    values = {
        "name": "Mairie annexe des Tilleuls",
        "address": "3 rue des Tilleuls",
        "postal_code": "99999",
        "city": "Villeneuve-sur-Example",
        "access": "Bus 12, arrêt Tilleuls ; rampe d'accès.",
        "latitude": "48.856600",
        "longitude": "2.352200",
    } | extra
    return Place.objects.create(**values)


def agenda(
    *,
    slug="etat-civil-tilleuls",
    kind=Agenda.Kind.GENERAL,
    desks=1,
    slot_minutes=15,
    weekdays=range(0, 6),
    periods=(MORNING, AFTERNOON),
    at=None,
    **extra,
) -> Agenda:
    values = {
        "title": "Titres d'identité" if kind == Agenda.Kind.IDENTITY else "État civil",
        "slug": slug,
        "place": at or place(),
        "kind": kind,
        "desks": desks,
        "slot_minutes": slot_minutes,
        "min_notice_hours": 24,
        "max_weeks": 8,
        "cancel_notice_hours": 24,
        "published": True,
        "what_to_bring": "Une pièce d'identité et un justificatif de domicile.",
    } | extra
    created = Agenda.objects.create(**values)
    OpeningHours.objects.bulk_create(
        OpeningHours(agenda=created, weekday=day, opens_at=opens, closes_at=closes)
        for day in weekdays
        for opens, closes in periods
    )
    return created
