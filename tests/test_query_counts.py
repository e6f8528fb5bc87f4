"""Pages whose query count must not grow with the data they list."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appointments import services as appointments
from appointments import slots
from appointments.models import Agenda
from notifications import unread
from notifications.models import Message, MessageKind
from procedures import services
from tests.appointments import factories as appointment_factories
from tests.procedures.factories import ProcedureFactory, ThemeFactory, bulky_waste, complete_answers


def queries(client, url) -> int:
    """The queries of a page opened again: what is cached (the header's unread count, the
    catalogue) is warm, and what is left must not grow with the data."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def cold_queries(client, url) -> int:
    """The queries of a first visit, nothing cached: what the cache hides (the catalogue
    selector's Prefetch, the unread count) is measured too."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def messages_for(account, count):
    # bulk_create skips notifications.services, which would clear the cached unread count.
    unread.forget([account.pk])
    Message.objects.bulk_create(
        Message(
            kind=MessageKind.INFORMATION,
            account=account,
            to_email=account.email,
            subject=f"Message {n}",
            body_text="Bonjour",
            body_html="<p>Bonjour</p>",
        )
        for n in range(count)
    )


@pytest.mark.django_db
def test_the_catalogue_costs_the_same_for_1_and_10_themes(citizen_client):
    url = reverse("procedures:catalogue")
    bulky_waste()
    one, cold_one = queries(citizen_client, url), cold_queries(citizen_client, url)
    for n in range(9):
        ProcedureFactory.create_batch(3, theme=ThemeFactory(title=f"Thème {n}"))
    assert queries(citizen_client, url) == one
    # A first visit reads the themes with their procedures in a fixed number of queries
    # (the selector's Prefetch): without it, one more query per theme.
    assert cold_queries(citizen_client, url) == cold_one
    assert cold_one > one


@pytest.mark.django_db
def test_the_messages_page_costs_the_same_for_1_and_30_messages(citizen_client, citizen):
    url = reverse("notifications:list")
    messages_for(citizen, 1)
    one, cold_one = queries(citizen_client, url), cold_queries(citizen_client, url)
    messages_for(citizen, 29)
    assert queries(citizen_client, url) == one
    assert cold_queries(citizen_client, url) == cold_one


@pytest.mark.django_db
def test_a_request_page_costs_the_same_whatever_its_history(citizen_client, citizen, clerk):
    draft = services.request_draft_save(
        account=citizen,
        procedure=(procedure := bulky_waste()),
        member=None,
        answers=complete_answers(procedure, {}),
    )
    request = services.request_submit(citizen_request=draft, by=citizen)
    url = reverse("procedures:detail", args=[request.pk])
    short, cold_short = queries(citizen_client, url), cold_queries(citizen_client, url)
    for _ in range(10):
        services.request_inform(citizen_request=request, by=clerk, text="Nouvelle information")
    assert queries(citizen_client, url) == short
    assert cold_queries(citizen_client, url) == cold_short


@pytest.mark.django_db
def test_the_form_of_a_household_procedure_reads_only_the_session_and_the_user(citizen_client):
    """Opened again: its catalogue entry is cached, the unread count too,
    and a procedure about the household asks for no member."""
    procedure = bulky_waste()
    assert not procedure.concerns_a_member
    url = reverse("procedures:start", args=[procedure.slug])
    assert queries(citizen_client, url) == 2


@pytest.mark.django_db
def test_the_home_page_costs_the_same_for_1_and_30_requests_with_drafts(citizen_client, citizen):
    procedure = bulky_waste()

    def add_requests(count):
        for _ in range(count):
            draft = services.request_draft_save(
                account=citizen,
                procedure=procedure,
                member=None,
                answers=complete_answers(procedure, {}),
            )
            services.request_submit(citizen_request=draft, by=citizen)
        services.request_draft_save(
            account=citizen,
            procedure=procedure,
            member=None,
            answers=complete_answers(procedure, {}),
        )

    add_requests(1)
    one = queries(citizen_client, reverse("home"))
    add_requests(29)
    assert queries(citizen_client, reverse("home")) == one


# Appointments (issue 27): the free-slots page, anonymous, whatever the bookings.


@pytest.mark.django_db
@pytest.mark.parametrize(("visitor", "count"), [("client", 4), ("citizen_client", 6)])
def test_the_free_slots_page_costs_the_same_whatever_the_week_s_bookings(request, visitor, count):
    """Anonymous: the agenda, its hours, its closures, the week's counters; a citizen (as
    the bench measures it, bench/features.py): the session and the account too."""
    client = request.getfixturevalue(visitor)
    agenda = slots.with_calendar(
        Agenda.objects.filter(pk=appointment_factories.agenda(desks=4).pk)
    ).get()
    url = reverse("appointments:agenda", args=[agenda.slug])
    assert queries(client, url) == count
    first = slots.first_bookable_day(agenda, timezone.now())
    week = slots.agenda_days(agenda, first=first, last=first + timedelta(days=6))
    for n, start in enumerate(start for day in week for start in day.starts[:10]):
        appointments.booking_create(
            agenda=agenda,
            starts_at=start,
            contact=appointments.Contact("Léa", "MARTIN", f"lea{n}@example.org"),
        )
    assert queries(client, url) == count
