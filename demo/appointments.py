"""The demo's counters: the town hall and its annex, four agendas (passports and identity
cards with the simulated ANTS, civil status, urbanism, the mayor's office hours), a
closure, a few appointments of the demo citizen and of people without an account, and
past ones marked « Présent », « Absent » or cancelled, for « Statistiques ».

Safe to run again: places and agendas are updated by their slug, and appointments are
added only when the demo citizen has none to come.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from appointments import services, slots, tokens
from appointments.ants import simulated
from appointments.models import Agenda, Booking, Closure, OpeningHours, Place

WEEKDAYS = range(0, 5)
SATURDAY = 5

PLACES = {
    "hotel-de-ville": {
        "name": "Hôtel de ville",
        "address": "1 place de la Mairie",
        "postal_code": "99999",
        "city": "Villeneuve-sur-Example",
        "access": "Entrée de plain-pied rue de la République ; bus 3 et 12, arrêt Mairie.",
        "latitude": "48.856613",
        "longitude": "2.352222",
    },
    "annexe": {
        "name": "Mairie annexe des Tilleuls",
        "address": "3 rue des Tilleuls",
        "postal_code": "99999",
        "city": "Villeneuve-sur-Example",
        "access": "Ascenseur au fond du hall ; parking gratuit.",
        "latitude": "48.861000",
        "longitude": "2.336000",
    },
}

MORNING, AFTERNOON = (time(9), time(12)), (time(14), time(17))

AGENDAS = {
    "passeport-carte-identite": {
        "title": "Passeport et carte d'identité",
        "place": "hotel-de-ville",
        "kind": Agenda.Kind.IDENTITY,
        "slot_minutes": 20,
        "desks": 2,
        "group": "Service État civil",
        "description": "Dépôt d'une demande de passeport ou de carte nationale d'identité, "
        "après la pré-demande en ligne sur ants.gouv.fr.",
        "what_to_bring": "Le récapitulatif de pré-demande (ou son numéro), une photo d'identité "
        "de moins de six mois, un justificatif de domicile, l'ancien titre ; chaque personne, "
        "enfant compris, vient en personne.",
        "hours": [(day, *period) for day in WEEKDAYS for period in (MORNING, AFTERNOON)]
        + [(SATURDAY, *MORNING)],
    },
    "etat-civil": {
        "title": "État civil : mariage, reconnaissance, PACS",
        "place": "hotel-de-ville",
        "kind": Agenda.Kind.GENERAL,
        "slot_minutes": 30,
        "desks": 1,
        "group": "Service État civil",
        "description": "Dossier de mariage ou de PACS, reconnaissance d'un enfant.",
        "what_to_bring": "Les pièces d'identité des personnes concernées et un justificatif "
        "de domicile.",
        "hours": [(day, *MORNING) for day in WEEKDAYS],
    },
    "urbanisme": {
        "title": "Urbanisme : conseil avant un permis",
        "place": "annexe",
        "kind": Agenda.Kind.GENERAL,
        "slot_minutes": 30,
        "desks": 1,
        "group": "Service Voirie",
        "description": "Un instructeur vous conseille avant un permis ou une déclaration.",
        "what_to_bring": "Le plan de situation et, si vous en avez, les croquis du projet.",
        "hours": [(1, *AFTERNOON), (3, *AFTERNOON)],
    },
    "permanence-du-maire": {
        "title": "Permanence du maire",
        "place": "hotel-de-ville",
        "kind": Agenda.Kind.GENERAL,
        "slot_minutes": 20,
        "desks": 1,
        "group": "",
        "description": "Un échange de vingt minutes avec le maire.",
        "what_to_bring": "",
        "hours": [(SATURDAY, time(10), time(12))],
        "max_weeks": 4,
    },
}


def place_seed(slug: str) -> Place:
    values = PLACES[slug]
    place, _ = Place.objects.update_or_create(name=values["name"], defaults=values)
    return place


def agenda_seed(slug: str, values: dict, places: dict) -> Agenda:
    agenda, _ = Agenda.objects.update_or_create(
        slug=slug,
        defaults={
            "title": values["title"],
            "place": places[values["place"]],
            "kind": values["kind"],
            "slot_minutes": values["slot_minutes"],
            "desks": values["desks"],
            "description": values["description"],
            "what_to_bring": values["what_to_bring"],
            "max_weeks": values.get("max_weeks", 8),
            "min_notice_hours": 24,
            "cancel_notice_hours": 24,
            "published": True,
            "order": list(AGENDAS).index(slug),
        },
    )
    agenda.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(agenda=agenda, weekday=day, opens_at=opens, closes_at=closes)
        for day, opens, closes in values["hours"]
    )
    if values["group"]:
        agenda.groups.set([Group.objects.get(name=values["group"])])
    return agenda


def closure_seed(agenda: Agenda) -> None:
    """The annex closed for works in three weeks' time."""
    first = timezone.localdate() + timedelta(weeks=3)
    first -= timedelta(days=first.weekday())
    Closure.objects.get_or_create(
        agenda=agenda,
        reason="Travaux de l'accueil",
        defaults={"first_day": first, "last_day": first + timedelta(days=4)},
    )


def first_free(agenda: Agenda, *, people: int = 1, skip: int = 0):
    agenda = slots.with_calendar(Agenda.objects.filter(pk=agenda.pk)).get()
    now = timezone.now()
    first = slots.first_bookable_day(agenda, now) + timedelta(days=2)
    days = slots.agenda_days(agenda, first=first, last=first + timedelta(days=20), people=people)
    starts = [start for day in days for start in day.starts]
    return agenda, starts[skip] if len(starts) > skip else None


def bookings_seed(agendas: dict[str, Agenda]) -> int:
    demo = User.objects.filter(identifier="demo").first()
    if demo is None or Booking.objects.for_account(demo).upcoming().exists():
        return 0
    made = 0
    wanted = [
        ("etat-civil", 1, [], demo, ("Camille", "MARTIN", demo.email)),
        ("etat-civil", 1, [], None, ("Jean", "DUPONT", "jean.dupont@example.org")),
        (
            "passeport-carte-identite",
            2,
            list(simulated.VALID[:2]),
            None,
            ("Maria", "SANTOS", "maria.santos@example.org"),
        ),
    ]
    for index, (slug, people, numbers, account, (first, last, email)) in enumerate(wanted):
        agenda, start = first_free(agendas[slug], people=people, skip=index * 3)
        if start is None:
            continue
        services.booking_create(
            agenda=agenda,
            starts_at=start,
            people=people,
            applications=numbers,
            contact=services.Contact(first, last, email, "06 12 34 56 78"),
            account=account,
        )
        made += 1
    return made


# The outcomes of the past appointments, one a weekday going back from yesterday.
PAST = {
    "etat-civil": (
        Booking.State.PRESENT,
        Booking.State.PRESENT,
        Booking.State.ABSENT,
        Booking.State.PRESENT,
        Booking.State.CANCELLED,
        Booking.State.PRESENT,
    ),
    "urbanisme": (Booking.State.PRESENT, Booking.State.ABSENT, Booking.State.CANCELLED),
}
PAST_PEOPLE = (
    ("Jeanne", "LEROY"),
    ("Paul", "GARNIER"),
    ("Nadia", "BENALI"),
    ("Marc", "FONTAINE"),
    ("Lucie", "ROUSSEL"),
    ("Yves", "PERRIN"),
)


def past_bookings_seed(agendas: dict[str, Agenda]) -> int:
    """Appointments of the last weeks whose outcome a clerk noted. Written as the past
    left them (the booking service refuses a slot already gone), once."""
    if Booking.objects.filter(agenda__slug__in=PAST, starts_at__lt=timezone.now()).exists():
        return 0
    day, weekdays = timezone.localdate(), []
    while len(weekdays) < max(len(states) for states in PAST.values()):
        day -= timedelta(days=1)
        if day.weekday() < SATURDAY:
            weekdays.append(day)
    past = []
    for slug, states in PAST.items():
        agenda = agendas[slug]
        opens = MORNING[0] if slug == "etat-civil" else AFTERNOON[0]
        for index, state in enumerate(states):
            first, last = PAST_PEOPLE[index % len(PAST_PEOPLE)]
            starts = timezone.make_aware(datetime.combine(weekdays[index], opens))
            cancelled = state == Booking.State.CANCELLED
            past.append(
                Booking(
                    agenda=agenda,
                    starts_at=starts,
                    ends_at=starts + agenda.slot_length,
                    state=state,
                    first_name=first,
                    last_name=last,
                    email=f"{first.lower()}.{last.lower()}@example.org",
                    token_hash=tokens.token_hash(tokens.new_token()),
                    created_at=starts - timedelta(days=7),
                    cancelled_at=starts - timedelta(days=2) if cancelled else None,
                )
            )
    Booking.objects.bulk_create(past)
    return len(past)


def seed() -> tuple[int, int]:
    """Returns (agendas, appointments added)."""
    places = {slug: place_seed(slug) for slug in PLACES}
    agendas = {slug: agenda_seed(slug, values, places) for slug, values in AGENDAS.items()}
    closure_seed(agendas["urbanisme"])
    return len(agendas), bookings_seed(agendas) + past_bookings_seed(agendas)


DEMO_NUMBERS = (
    ("valide, libre", ", ".join(simulated.VALID)),
    ("déjà utilisé (« consommé »)", simulated.CONSUMED),
    ("déjà réservé dans une autre mairie", simulated.BOOKED_ELSEWHERE),
)
