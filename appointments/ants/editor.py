"""The three endpoints the national search engine (rendezvouspasseport.ants.gouv.fr) calls.

Authenticated by the header ``X-HUB-RDV-AUTH-TOKEN`` (``ANTS_HUB_TOKEN``): a missing
or wrong token, or none configured, is 401. List parameters come repeated without
brackets (``meeting_point_ids=1&meeting_point_ids=2``), as the ANTS sends them.

- ``getManagedMeetingPoints``: the places of our published « Titres d'identité »
  agendas, with their address and coordinates;
- ``availableTimeSlots``: for given places, dates, reason and number of documents,
  the free starts (``datetime`` in UTC, ``…Z``) and the URL that books each one;
- ``searchApplicationIds``: our future appointments of given pre-application numbers.

The ANTS gives up after 15 seconds: the slots are read flat (slots.py: a fixed number
of queries whatever the range), and the range is capped at MAX_DAYS.
"""

from datetime import UTC, date, timedelta
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from appointments import slots
from appointments.ants.calls import management_url
from appointments.models import MAX_PEOPLE, Agenda, Booking, Place
from common.validators import small_number

HEADER = "HTTP_X_HUB_RDV_AUTH_TOKEN"
REASONS = {"CNI", "PASSPORT", "CNI-PASSPORT"}
MAX_DAYS = 184


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": status, "message": message}}, status=status)


def hub_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        expected = settings.ANTS_HUB_TOKEN
        given = request.META.get(HEADER, "")
        if not expected or not constant_time_compare(given, expected):
            return error(401, "X-HUB-RDV-AUTH-TOKEN missing or invalid")
        return view(request, *args, **kwargs)

    return never_cache(require_GET(wrapper))


def identity_agendas():
    return Agenda.objects.published().filter(kind=Agenda.Kind.IDENTITY)


def utc_stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def place_payload(place: Place) -> dict:
    return {
        "id": str(place.pk),
        "name": place.name,
        "longitude": float(place.longitude) if place.longitude is not None else None,
        "latitude": float(place.latitude) if place.latitude is not None else None,
        "public_entry_address": place.address,
        "zip_code": place.postal_code,
        "city_name": place.city,
    }


@hub_only
def managed_meeting_points(request):
    places = Place.objects.filter(agendas__in=identity_agendas()).distinct().order_by("pk")
    return JsonResponse([place_payload(place) for place in places], safe=False)


def parse_day(text: str | None) -> date | None:
    """The day, or None; one too near the calendar's ends for the range's arithmetic
    (``first + MAX_DAYS``, the day after ``last``, year 1's Paris midnight in UTC) is
    none either."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if date.min < day < date.max - timedelta(days=MAX_DAYS + 1) else None


def booking_page(agenda: Agenda) -> str:
    """The agenda's booking page, once per agenda: a three-month answer holds thousands of
    slots, and a ``reverse`` each took four fifths of its time (bench/RESULTS.md)."""
    return settings.SITE_URL + reverse("appointments:book", args=[agenda.slug])


def booking_url(page: str, stamp: str, people: int) -> str:
    return f"{page}?{urlencode({'debut': stamp, 'personnes': people})}"


@hub_only
def available_time_slots(request):
    given = request.GET.getlist("meeting_point_ids")
    ids = [value for value in given if small_number(value) is not None]
    first, last = parse_day(request.GET.get("start_date")), parse_day(request.GET.get("end_date"))
    reason = request.GET.get("reason", "")
    documents = request.GET.get("documents_number", "1")
    if not ids or first is None or last is None or not reason:
        return error(400, "meeting_point_ids, start_date, end_date and reason are required")
    if reason not in REASONS:
        return error(400, "Invalid reason param")
    if first > last:
        return error(400, "start_date is after end_date")
    people = small_number(documents)
    if people is None or not 1 <= people <= MAX_PEOPLE:
        return error(400, f"documents_number must be between 1 and {MAX_PEOPLE}")
    last = min(last, first + timedelta(days=MAX_DAYS))
    agendas = list(
        slots.with_calendar(identity_agendas().filter(place__in=[int(pk) for pk in ids]))
    )
    now = timezone.now()
    taken = slots.taken_counts(agendas, first, last)
    answer: dict[str, dict] = {pk: {} for pk in ids}
    for agenda in agendas:
        days = slots.agenda_days(
            agenda, first=first, last=last, people=people, now=now, taken=taken[agenda.pk]
        )
        found = answer.setdefault(str(agenda.place_id), {})
        page = booking_page(agenda)
        for day in days:
            for start in day.starts:
                stamp = utc_stamp(start)
                if stamp not in found:
                    url = booking_url(page, stamp, people)
                    found[stamp] = {"datetime": stamp, "callback_url": url}
    return JsonResponse(
        {
            pk: sorted(found.values(), key=lambda slot: slot["datetime"])
            for pk, found in answer.items()
        }
    )


@hub_only
def search_application_ids(request):
    ids = [value.upper() for value in request.GET.getlist("application_ids") if value]
    answer: dict[str, list] = {number: [] for number in ids}
    bookings = (
        Booking.objects.upcoming()
        .filter(agenda__kind=Agenda.Kind.IDENTITY, applications__number__in=ids)
        .select_related("agenda__place")
        .prefetch_related("applications")
        .distinct()
    )
    for booking in bookings:
        for number in booking.applications.all():
            if number.number in answer:
                answer[number.number].append(
                    {
                        "meeting_point": booking.agenda.place.name,
                        "datetime": utc_stamp(booking.starts_at),
                        "management_url": management_url(booking),
                        "cancel_url": management_url(booking),
                    }
                )
    return JsonResponse(answer)
