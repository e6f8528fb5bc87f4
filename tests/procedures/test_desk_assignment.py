"""Who handles a request: « Je m'en occupe », « Attribuer à », « Libérer » and the queue's
« Mes demandes » / « Non attribuées » (procedures.desk.assignment).

Personas of this file:
- ``anne`` and ``marc``: two clerks of « Service Scolaire et périscolaire », which handles
  the theme of ``school_request``; either may take it, give it to the other, release it;
- ``victor``: a clerk of another service (``other_service_clerk``): 404 on all of it;
- ``superuser``: sees every service, may take a request too.
"""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from procedures.desk.assignment import request_assign
from procedures.models import AssignmentEvent, RequestEvent
from tests.factories import ClerkFactory, role_group
from tests.procedures.factories import ProcedureFactory, ThemeFactory
from tests.procedures.test_admin import listed, submitted

pytestmark = pytest.mark.django_db
SCHOOL = "Service Scolaire et périscolaire"


@pytest.fixture
def school_theme():
    theme = ThemeFactory(title="Scolaire", slug="bureau-scolaire")
    theme.groups.add(role_group(SCHOOL))
    return theme


def school_clerk(first_name, last_name):
    user = ClerkFactory(first_name=first_name, last_name=last_name)
    user.groups.add(role_group(SCHOOL))
    return user


@pytest.fixture
def anne(school_theme):
    return school_clerk("Anne", "ECOLE")


@pytest.fixture
def marc(school_theme):
    return school_clerk("Marc", "CANTINE")


@pytest.fixture
def school_request(citizen, school_theme):
    return submitted(citizen, ProcedureFactory(theme=school_theme, title="Inscription scolaire"))


def assign(client, citizen_request, assignee):
    url = reverse("admin:procedures_request_assign", args=[citizen_request.pk])
    return client.post(url, {"assignee": assignee}, follow=True)


def release(client, citizen_request):
    url = reverse("admin:procedures_request_release", args=[citizen_request.pk])
    return client.post(url, follow=True)


def page(client, citizen_request) -> str:
    response = client.get(reverse("admin:procedures_request_change", args=[citizen_request.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_je_m_en_occupe_makes_the_clerk_its_handler_with_a_history_row(
    client, anne, school_request
):
    client.force_login(anne)
    assert "Je m'en occupe" in page(client, school_request)

    response = assign(client, school_request, "me")

    school_request.refresh_from_db()
    assert school_request.assignee == anne
    assert "Vous vous occupez de cette demande." in response.content.decode()
    [event] = AssignmentEvent.objects.filter(request=school_request)
    assert (event.kind, event.actor, event.assignee_name) == (
        AssignmentEvent.Kind.TAKEN,
        anne,
        str(anne),
    )


def test_attribuer_a_gives_it_to_a_colleague_then_liberer_frees_it_each_with_its_row(
    client, anne, marc, school_request
):
    client.force_login(anne)
    assert f'<option value="{marc.pk}">Marc CANTINE</option>' in page(client, school_request)

    assign(client, school_request, str(marc.pk))
    school_request.refresh_from_db()
    assert school_request.assignee == marc
    release(client, school_request)
    school_request.refresh_from_db()

    assert school_request.assignee is None
    rows = list(
        AssignmentEvent.objects.filter(request=school_request).values_list(
            "kind", "actor", "previous_name", "assignee_name"
        )
    )
    assert rows == [
        (AssignmentEvent.Kind.ASSIGNED, anne.pk, "", str(marc)),
        (AssignmentEvent.Kind.RELEASED, anne.pk, str(marc), ""),
    ]


def test_taking_a_request_one_already_handles_writes_nothing(client, anne, school_request):
    client.force_login(anne)
    assign(client, school_request, "me")
    assign(client, school_request, "me")
    release(client, school_request)
    release(client, school_request)
    assert AssignmentEvent.objects.filter(request=school_request).count() == 2


def test_a_request_cannot_go_to_a_clerk_outside_its_service(
    client, anne, other_service_clerk, school_request
):
    client.force_login(anne)
    response = assign(client, school_request, str(other_service_clerk.pk))
    school_request.refresh_from_db()
    assert school_request.assignee is None
    assert "Choisissez un agent du service" in response.content.decode()
    assert not AssignmentEvent.objects.exists()


def test_a_crafted_post_for_a_missing_or_garbage_assignee_changes_nothing(
    client, anne, school_request
):
    client.force_login(anne)
    for value in ("", "987654", "'; DROP TABLE", "-1"):
        response = assign(client, school_request, value)
        assert response.status_code == 200
    school_request.refresh_from_db()
    assert school_request.assignee is None


def test_a_clerk_of_another_service_gets_404_on_every_desk_action(
    client, anne, other_service_clerk, school_request
):
    client.force_login(anne)
    assign(client, school_request, "me")
    client.force_login(other_service_clerk)
    for name, data in (
        ("procedures_request_assign", {"assignee": "me"}),
        ("procedures_request_release", {}),
        ("procedures_request_note", {"text": "Je passe par là"}),
    ):
        response = client.post(reverse(f"admin:{name}", args=[school_request.pk]), data)
        assert response.status_code == 404, name
    school_request.refresh_from_db()
    assert school_request.assignee == anne
    assert not school_request.notes.exists()


def test_a_citizen_is_sent_to_the_login_and_changes_nothing(client, citizen, school_request):
    client.force_login(citizen)
    response = assign(client, school_request, "me")
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
    school_request.refresh_from_db()
    assert school_request.assignee is None


def test_a_get_is_refused(client, anne, school_request):
    client.force_login(anne)
    url = reverse("admin:procedures_request_assign", args=[school_request.pk])
    assert client.get(url).status_code == 405


def test_the_queue_filters_mes_demandes_and_non_attribuees(
    client, anne, marc, citizen, school_theme
):
    procedure = ProcedureFactory(theme=school_theme, title="Cantine")
    mine, marcs, nobodys = (submitted(citizen, procedure) for _ in range(3))
    client.force_login(anne)
    assign(client, mine, "me")
    assign(client, marcs, str(marc.pk))

    assert listed(client, attribution="mine") == {mine.pk}
    assert listed(client, attribution="nobody") == {nobodys.pk}
    assert listed(client) == {mine.pk, marcs.pk, nobodys.pk}
    queue = client.get(reverse("admin:procedures_request_changelist")).content.decode()
    assert "Mes demandes" in queue and "Non attribuées" in queue
    assert "Marc CANTINE" in queue


def test_a_superuser_may_take_any_request(client, school_request):
    boss = ClerkFactory(is_superuser=True, first_name="Ada", last_name="ADMIN")
    client.force_login(boss)
    assign(client, school_request, "me")
    school_request.refresh_from_db()
    assert school_request.assignee == boss


def test_the_citizen_never_learns_who_handles_the_request(client, anne, citizen, school_request):
    client.force_login(anne)
    assign(client, school_request, "me")
    events_before = RequestEvent.objects.filter(request=school_request).count()

    client.force_login(citizen)
    detail = client.get(reverse("procedures:detail", args=[school_request.pk]))

    assert detail.status_code == 200
    assert "ECOLE" not in detail.content.decode()
    assert RequestEvent.objects.filter(request=school_request).count() == events_before


@pytest.mark.django_db(transaction=True)
def test_two_clerks_taking_it_at_once_leave_one_handler_and_a_history_that_follows(
    anne, marc, school_request
):
    """PostgreSQL only (SQLite serialises writers anyway): the row is locked, so the
    second « Je m'en occupe » sees the first one's handler as the previous one."""
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is checked on PostgreSQL (CI runs it).")
    barrier = threading.Barrier(2)
    errors = []

    def take(clerk):
        try:
            barrier.wait()
            request_assign(citizen_request=school_request, assignee=clerk, by=clerk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(clerk,)) for clerk in (anne, marc)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    first, second = AssignmentEvent.objects.filter(request=school_request).order_by("pk")
    assert first.previous_name == ""
    assert second.previous_name == first.assignee_name
    school_request.refresh_from_db()
    assert str(school_request.assignee) == second.assignee_name


@pytest.mark.parametrize("posted", ["²", "①", "9" * 5000])
def test_an_assignee_int_refuses_is_asked_again_not_a_500(client, anne, school_request, posted):
    client.force_login(anne)
    response = assign(client, school_request, posted)
    assert response.status_code == 200
    assert "Choisissez un agent du service" in response.content.decode()
    school_request.refresh_from_db()
    assert school_request.assignee is None
