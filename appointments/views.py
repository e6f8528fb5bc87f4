"""The citizen's side: place, then day, then time; the booking form; the confirmation;
the page that cancels or moves an appointment from the mail's link.

Every list is plain HTML (headings per day, links per time): no grid, no JavaScript.
"""

from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from appointments import selectors, services, slots
from appointments.ants.checks import numbers_check
from appointments.forms import BookingForm, CancelForm, LostLinkForm, PeopleForm
from appointments.ics import FILE_NAME, MIME_TYPE, booking_ics
from appointments.links import links_resend
from appointments.models import MAX_PEOPLE, Agenda, Booking
from appointments.words import day_in_words, moment_in_words, time_in_words
from common.personal_pages import personal_page
from common.validators import small_number

DAYS_PER_PAGE = 7
STAMP = "%Y-%m-%dT%H:%MZ"


def stamp(moment: datetime) -> str:
    """A slot in a URL: its UTC start, as the ANTS writes it."""
    return moment.astimezone(UTC).strftime(STAMP)


def parse_stamp(text: str | None) -> datetime | None:
    try:
        moment = datetime.strptime(text or "", STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    # Year 1's first day and year 9999's last: their Paris day overflows, no slot either.
    if not date.min < moment.date() < date.max:
        return None
    return moment


def people_of(request, agenda: Agenda) -> int:
    if not agenda.is_identity:
        return 1
    count = small_number(request.GET.get("personnes") or request.POST.get("personnes"))
    return count if count is not None and 1 <= count <= MAX_PEOPLE else 1


def private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def agenda_or_404(slug: str) -> Agenda:
    agenda = selectors.bookable_agenda(slug=slug)
    if agenda is None:
        raise Http404
    return agenda


@require_GET
def index(request):
    """« Rendez-vous »: the places, each with its agendas."""
    places = {}
    for agenda in selectors.bookable_agendas():
        places.setdefault(agenda.place, []).append(agenda)
    return render(request, "appointments/index.html", {"places": places, "active_tab": "catalogue"})


def day_rows(days: list[slots.DaySlots], link) -> list[dict]:
    return [
        {
            "day": day.day,
            "label": day_in_words(day.day),
            "closed_reason": day.closed_reason,
            "slots": [{"label": time_in_words(start), "url": link(start)} for start in day.starts],
        }
        for day in days
    ]


def week_window(
    request, agenda: Agenda, now: datetime
) -> tuple[date, date, date | None, date | None]:
    """The days shown, and the first days of the previous and next pages (None at the ends)."""
    first_possible = slots.first_bookable_day(agenda, now)
    last_possible = slots.last_bookable_day(agenda, now)
    try:
        first = date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        first = first_possible
    first = min(max(first, first_possible), last_possible)
    last = min(first + timedelta(days=DAYS_PER_PAGE - 1), last_possible)
    previous = first - timedelta(days=DAYS_PER_PAGE) if first > first_possible else None
    if previous is not None:
        previous = max(previous, first_possible)
    following = last + timedelta(days=1) if last < last_possible else None
    return first, last, previous, following


def days_context(request, agenda: Agenda, *, people: int, link, ignore=()) -> dict:
    now = timezone.now()
    first, last, previous, following = week_window(request, agenda, now)
    days = slots.agenda_days(agenda, first=first, last=last, people=people, now=now, ignore=ignore)
    return {
        "days": day_rows(days, link),
        "first_label": day_in_words(first),
        "last_label": day_in_words(last),
        "previous": previous.isoformat() if previous else None,
        "following": following.isoformat() if following else None,
        "people": people,
        "any_free": any(day.starts for day in days),
    }


@require_GET
def agenda_days(request, slug):
    """The days of one agenda with their free times: one week per page."""
    agenda = agenda_or_404(slug)
    people = people_of(request, agenda)
    book = reverse("appointments:book", args=[agenda.slug])

    def link(start):
        query = f"?debut={stamp(start)}"
        return book + query + (f"&personnes={people}" if agenda.is_identity else "")

    context = days_context(request, agenda, people=people, link=link) | {
        "agenda": agenda,
        "people_form": PeopleForm(initial={"personnes": people}) if agenda.is_identity else None,
        "active_tab": "catalogue",
    }
    return render(request, "appointments/agenda.html", context)


def initial_contact(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": getattr(user, "phone", ""),
    }


def slot_taken(request, agenda: Agenda, start: datetime, people: int, status=409):
    """« Ce créneau vient d'être réservé », with the next free slots to pick from."""
    book = reverse("appointments:book", args=[agenda.slug])
    following = [
        {
            "label": moment_in_words(moment),
            "url": book
            + f"?debut={stamp(moment)}"
            + (f"&personnes={people}" if agenda.is_identity else ""),
        }
        for moment in slots.next_free(agenda, after=start, people=people)
    ]
    context = {"agenda": agenda, "following": following, "people": people}
    return render(request, "appointments/slot_taken.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def book(request, slug):
    agenda = agenda_or_404(slug)
    people = people_of(request, agenda)
    start = parse_stamp(request.GET.get("debut"))
    if start is None:
        return redirect("appointments:agenda", slug=agenda.slug)
    if request.method == "GET" and not slots.is_bookable(agenda, start, people=people):
        return slot_taken(request, agenda, start, people, status=200)
    anonymous = not request.user.is_authenticated
    form = BookingForm(
        request.POST or None,
        agenda=agenda,
        people=people,
        anonymous=anonymous,
        initial=initial_contact(request.user),
    )
    if request.method == "POST" and form.is_valid():
        response = book_submit(request, agenda, start, people, form)
        if response is not None:
            return response
    context = {
        "agenda": agenda,
        "form": form,
        "when": moment_in_words(start),
        "people": people,
        "anonymous": anonymous,
        "active_tab": "catalogue",
    }
    return render(request, "appointments/book.html", context)


def book_submit(request, agenda, start, people, form):
    """The booking, or None with the errors on the form."""
    numbers = form.applications() if agenda.is_identity else []
    unverified = False
    if numbers:
        checked = numbers_check(numbers)
        for number, problem in checked.problems.items():
            form.add_error(form.application_field_of(number), problem)
        if checked.problems:
            return None
        unverified = checked.unverified
    data = form.cleaned_data
    try:
        booking, token = services.booking_create(
            agenda=agenda,
            starts_at=start,
            people=people,
            contact=services.Contact(
                data["first_name"], data["last_name"], data["email"], data.get("phone", "")
            ),
            applications=numbers,
            account=request.user if request.user.is_authenticated else None,
            ants_unverified=unverified,
        )
    except services.SlotTaken:
        return slot_taken(request, agenda, start, people)
    except services.BookingError as error:
        form.add_error(None, str(error))
        return None
    return redirect("appointments:done", token=token)


def booking_or_404(token: str):
    booking = services.booking_for_token(token)
    if booking is None:
        raise Http404
    return booking


def booking_context(booking, token: str) -> dict:
    return {
        "booking": booking,
        "agenda": booking.agenda,
        "place": booking.agenda.place,
        "when": moment_in_words(booking.starts_at),
        "token": token,
        "may_change": services.citizen_may_change(booking),
        "deadline": moment_in_words(services.cancel_deadline(booking)),
        "applications": list(booking.applications.all()),
    }


def cancel_form(request, booking) -> tuple[CancelForm, bool]:
    """« Annuler ce rendez-vous », from the mail's link or « Mes rendez-vous »: the form,
    and whether the booking was just cancelled."""
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return form, False
    try:
        services.booking_cancel(booking=booking)
    except services.BookingError as error:
        form.add_error(None, str(error))
        return form, False
    return form, True


@personal_page
@never_cache
@require_GET
def done(request, token):
    booking = booking_or_404(token)
    return private(render(request, "appointments/done.html", booking_context(booking, token)))


@personal_page
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """What the mail's link opens: the appointment, « Annuler », « Déplacer »."""
    booking = booking_or_404(token)
    form, cancelled = cancel_form(request, booking)
    if cancelled:
        return redirect("appointments:manage", token=token)
    context = booking_context(booking, token) | {"form": form}
    return private(render(request, "appointments/manage.html", context))


@personal_page
@never_cache
@require_http_methods(["GET", "POST"])
def move(request, token):
    booking = booking_or_404(token)
    if not services.citizen_may_change(booking):
        return redirect("appointments:manage", token=token)
    agenda = selectors.bookable_agenda(slug=booking.agenda.slug)
    if agenda is None:
        raise Http404
    start = parse_stamp(request.GET.get("debut"))
    error = ""
    if start is not None and request.method == "POST":
        try:
            services.booking_move(booking=booking, starts_at=start, token=token)
        except services.SlotTaken:
            return slot_taken(request, agenda, start, booking.people)
        except services.BookingError as refused:
            error = str(refused)
        else:
            return redirect("appointments:manage", token=token)
    page = reverse("appointments:move", args=[token])
    context = booking_context(booking, token) | {"error": error}
    if start is not None:
        context["new_when"] = moment_in_words(start)
        return private(render(request, "appointments/move_confirm.html", context))
    context |= days_context(
        request,
        agenda,
        people=booking.people,
        link=lambda moment: f"{page}?debut={stamp(moment)}",
        ignore=booking.slot_starts(),
    )
    return private(render(request, "appointments/move.html", context))


@personal_page
@never_cache
@require_GET
def ics(request, token):
    booking = booking_or_404(token)
    response = HttpResponse(booking_ics(booking), content_type=f"{MIME_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}"'
    return private(response)


@never_cache
@require_http_methods(["GET", "POST"])
def lost_link(request):
    """« Lien perdu » (also where the ANTS sends a citizen): the links again, by mail.
    The answer is the same whether the address has appointments or not."""
    form = LostLinkForm(request.POST if request.method == "POST" else None)
    sent = False
    if request.method == "POST" and form.is_valid():
        links_resend(email=form.cleaned_data["email"])
        sent = True
    return private(render(request, "appointments/lost_link.html", {"form": form, "sent": sent}))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def mine(request, pk):
    """One of « Mes rendez-vous », for its account only (404 for anyone else's)."""
    booking = (
        Booking.objects.for_account(request.user)
        .select_related("agenda__place")
        .prefetch_related("applications")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    form, cancelled = cancel_form(request, booking)
    if cancelled:
        return redirect("appointments:mine", pk=booking.pk)
    context = booking_context(booking, "") | {"form": form, "active_tab": "home"}
    return render(request, "appointments/manage.html", context)
