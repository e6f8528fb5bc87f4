"""The clerk's queue in admin (procedures/queue.py): « À traiter » first, oldest first, the
count per state, the silence rule's date, since when a request waits, and the filters.

Persona: ``clerk``, staff of a service that handles the theme of the procedures below."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from procedures import services
from procedures.models import Procedure, Request, RequestState
from tests.factories import ClerkFactory, UserFactory, role_group
from tests.procedures.factories import ProcedureFactory, ThemeFactory, complete_answers

pytestmark = pytest.mark.django_db
LIST = reverse("admin:procedures_request_changelist")


@pytest.fixture
def theme():
    return ThemeFactory(title="Vie associative", slug="vie-associative")


@pytest.fixture
def clerk(theme):
    group = role_group("Service Environnement")
    theme.groups.add(group)
    user = ClerkFactory()
    user.groups.add(group)
    return user


@pytest.fixture
def booking(theme):
    return ProcedureFactory(
        theme=theme,
        title="Réservation de salle",
        silence_rule=Procedure.Silence.REFUSAL,
        silence_delay_days=60,
    )


def sent(procedure, *, days_ago: int, tracking_code=None) -> Request:
    citizen = UserFactory()
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        draft = services.request_draft_save(
            account=citizen, procedure=procedure, member=None, answers=complete_answers(procedure)
        )
        request = services.request_submit(citizen_request=draft, by=citizen)
    if tracking_code:
        Request.objects.filter(pk=request.pk).update(tracking_code=tracking_code)
    return request


def listed(client, **params) -> list[Request]:
    return list(client.get(LIST, params).context["cl"].result_list)


def test_the_list_opens_on_received_and_in_progress_requests_oldest_first(client, clerk, booking):
    newer, older, started, decided = (sent(booking, days_ago=d) for d in (2, 20, 10, 30))
    services.request_transition(citizen_request=started, name="start", by=clerk)
    services.request_transition(citizen_request=decided, name="refuse", by=clerk, comment="Complet")
    client.force_login(clerk)
    assert listed(client) == [older, started, newer]
    assert listed(client, state="all")[0] == newer  # Everything: newest first, as before.
    page = client.get(LIST).content.decode()
    assert "À traiter : reçues et en cours (3)" in page
    assert "Reçue (2)" in page and "Refusée (1)" in page and "Toutes (4)" in page


def test_the_silence_rule_date_is_shown_and_marked_when_near(client, clerk, booking):
    near = sent(booking, days_ago=57)
    far = sent(booking, days_ago=5)
    client.force_login(clerk)
    page = client.get(LIST).content.decode()
    near_deadline = timezone.localdate(near.submitted_at) + timedelta(days=60)
    near_day = near_deadline.strftime("%d/%m/%Y")
    days = (near_deadline - timezone.localdate()).days  # 3 or 4: the travel may cross DST.
    far_day = (timezone.localdate(far.submitted_at) + timedelta(days=60)).strftime("%d/%m/%Y")
    assert (
        f'<strong class="queue-mark">Dans {days} j :</strong> {near_day} (le silence vaut refus)'
        in page
    )
    assert f"{far_day} (le silence vaut refus)" in page


def test_a_request_waiting_for_the_citizen_shows_since_when(client, clerk, booking):
    request = sent(booking, days_ago=9)
    services.request_transition(citizen_request=request, name="start", by=clerk)
    with time_machine.travel(timezone.now() - timedelta(days=4)):
        services.request_transition(
            citizen_request=request, name="ask_citizen", by=clerk, comment="Une attestation"
        )
    client.force_login(clerk)
    page = client.get(LIST, {"state": RequestState.WAITING}).content.decode()
    since = (timezone.localdate() - timedelta(days=4)).strftime("%d/%m/%Y")
    assert f"depuis le {since} (4 j)" in page


def test_search_finds_a_request_by_its_whole_tracking_code_only(client, clerk, booking):
    wanted = sent(booking, days_ago=1, tracking_code="ABCD-EFGH-JKMN-PQRS")
    sent(booking, days_ago=1)
    client.force_login(clerk)
    assert listed(client, state="all", q="ABCD-EFGH-JKMN-PQRS") == [wanted]
    assert listed(client, state="all", q="ABCD") == []
    assert listed(client, state="all", q=wanted.number) == [wanted]


def test_another_themes_requests_are_neither_listed_nor_counted(client, clerk, booking):
    other = ProcedureFactory(theme=ThemeFactory(slug="ailleurs"))
    sent(other, days_ago=3)
    mine = sent(booking, days_ago=3)
    client.force_login(clerk)
    assert listed(client, state="all") == [mine]
    assert "Toutes (1)" in client.get(LIST).content.decode()
