"""« Rendez-vous » in « Statistiques » (appointments.statistics): per agenda, the
appointments of the period — booked, « Présent », « Absent », cancelled — against a
dataset whose answers are known; who reads which agendas; the chart, the CSV, the
access journal and a pinned number of queries.

Personas: ``service`` (« Service État civil », the group of the agendas « État civil »
and « Titres d'identité » at the annex), Victor of « Service Voirie » (the group of
« Urbanisme » at the town hall), ``billing`` (« Régie »), ``boss`` (superuser).

The dataset (appointments set in November 2026; « now » is 7 December 2026, 10:00):

- « État civil »: 2 present, 1 absent, 1 cancelled, 1 not noted → 5 booked, one absent
  of three noted (33,3 %); and one in October, outside the period;
- « Titres d'identité »: 1 present → 0 %;
- « Urbanisme » (« Service Voirie »): 2 absent → 100 %.
"""

import csv
import io
import re
from datetime import datetime, timedelta
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from appointments.models import Agenda, Booking
from backoffice.models import AccessEntry
from tests.appointments import factories
from tests.backoffice import personas
from tests.backoffice.test_statistics import queries_of_the_page
from tests.factories import OTHER_SERVICE, clerk_of_another_service, role_group
from tests.procedures.factories import ThemeFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)
PAGE = reverse("admin:statistics")
CSV = reverse("admin:statistics_csv", args=["rendez-vous"])
NOVEMBER = {"du": "2026-11-01", "au": "2026-11-30"}
S = Booking.State


def booking(agenda: Agenda, state: str, month: int, day: int, hour: int = 9) -> Booking:
    starts = datetime(2026, month, day, hour, 0, tzinfo=PARIS)
    return Booking.objects.create(
        agenda=agenda,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=15),
        state=state,
        first_name="Jean",
        last_name="DUPONT",
        email="jean.dupont@example.org",
        token_hash=f"{Booking.objects.count():064d}",
    )


@pytest.fixture
def agendas():
    annex = factories.place()
    hall = factories.place(name="Hôtel de ville")
    civil = factories.agenda(at=annex)
    identity = factories.agenda(slug="titres", kind=Agenda.Kind.IDENTITY, at=annex, order=1)
    urbanism = factories.agenda(slug="urbanisme", title="Urbanisme", at=hall)
    civil.groups.add(role_group("Service État civil"))
    identity.groups.add(role_group("Service État civil"))
    urbanism.groups.add(role_group(OTHER_SERVICE))
    for state, day in [(S.PRESENT, 2), (S.PRESENT, 3), (S.ABSENT, 4), (S.CANCELLED, 5)]:
        booking(civil, state, 11, day)
    booking(civil, S.BOOKED, 11, 30, hour=17)  # The period's last evening.
    booking(civil, S.PRESENT, 10, 31)  # October: outside the period.
    booking(identity, S.PRESENT, 11, 12)
    booking(urbanism, S.ABSENT, 11, 6)
    booking(urbanism, S.ABSENT, 11, 20)
    return {"civil": civil, "identity": identity, "urbanism": urbanism}


@pytest.fixture
def service(agendas):
    return personas.service_clerk(ThemeFactory(title="État civil", slug="rdv-etat-civil"))


def figures(client, **params):
    with time_machine.travel(NOW, tick=False):
        response = client.get(PAGE, params or NOVEMBER)
    assert response.status_code == 200
    return response


def section(response) -> dict:
    [found] = [s for s in response.context["sections"] if s["section"].slug == "rendez-vous"]
    return found


def rows(response) -> dict[str, dict]:
    [drawn] = section(response)["figures"]
    figure = drawn["figure"]
    found = {row["agenda"]: row for row in figure.rows}
    found["total"] = figure.total
    return found


def counts(row: dict) -> tuple:
    return row["booked"], row["present"], row["absent"], row["cancelled"]


CIVIL = "État civil — Mairie annexe des Tilleuls"
IDENTITY = "Titres d'identité — Mairie annexe des Tilleuls"
URBANISM = "Urbanisme — Hôtel de ville"


def test_a_service_reads_the_appointments_of_its_agendas_for_the_period(client, service):
    client.force_login(service)
    response = figures(client)
    found = rows(response)
    assert set(found) == {CIVIL, IDENTITY, "total"}
    assert counts(found[CIVIL]) == (5, 2, 1, 1)
    assert found[CIVIL]["rate"] == pytest.approx(100 / 3)
    assert counts(found[IDENTITY]) == (1, 1, 0, 0) and found[IDENTITY]["rate"] == 0
    assert counts(found["total"]) == (6, 3, 1, 1)
    assert found["total"]["rate"] == pytest.approx(25)
    assert "Urbanisme" not in response.content.decode()
    assert [s["section"].slug for s in response.context["sections"]] == [
        "demandes",
        "rendez-vous",
    ]


def test_a_clerk_of_another_service_reads_his_agendas_only(client, agendas):
    client.force_login(clerk_of_another_service())
    found = rows(figures(client))
    assert set(found) == {URBANISM, "total"}
    assert counts(found[URBANISM]) == (2, 0, 2, 0) and found[URBANISM]["rate"] == 100


def test_a_superuser_reads_every_agenda(client, agendas):
    client.force_login(personas.superuser())
    response = figures(client)
    found = rows(response)
    assert list(found) == [URBANISM, CIVIL, IDENTITY, "total"]  # by place, then the agendas' order
    assert counts(found["total"]) == (8, 3, 3, 1)
    assert found["total"]["rate"] == pytest.approx(50)


def test_a_day_outside_the_period_counts_nothing_and_a_period_without_any_says_so(client, service):
    client.force_login(service)
    found = rows(figures(client, du="2026-10-31", au="2026-10-31"))
    assert counts(found[CIVIL]) == (1, 1, 0, 0)
    response = figures(client, du="2026-09-01", au="2026-09-30")
    assert rows(response) == {"total": rows(response)["total"]}
    assert rows(response)["total"]["rate"] is None
    [drawn] = section(response)["figures"]
    assert "Aucune donnée sur la période." in drawn["chart"]


def test_who_handles_no_booking_has_no_such_section(client, agendas):
    client.force_login(personas.billing_clerk())
    response = figures(client)
    assert [s["section"].slug for s in response.context["sections"]] == ["factures"]
    assert client.get(CSV, NOVEMBER).status_code == 403
    # « Administration fonctionnelle » defines the agendas but reads no booking.
    client.force_login(personas.catalogue_admin())
    assert client.get(PAGE, NOVEMBER).status_code == 403
    assert client.get(CSV, NOVEMBER).status_code == 403


def test_the_chart_is_well_formed_svg_with_its_table(client, service):
    client.force_login(service)
    page = figures(client).content.decode()
    [block] = re.findall(
        r'<figure class="statistics-figure"[^>]*rendez-vous.*?</figure>', page, flags=re.S
    )
    [chart] = re.findall(r"<svg xmlns=.*?</svg>", block, flags=re.S)
    root = ET.fromstring(chart)  # noqa: S314 our own SVG
    assert root[0].text == "Rendez-vous et absences" and "tableau" in root[1].text
    assert "style" not in chart
    texts = [element.text for element in root.iter() if element.tag.endswith("text")]
    assert "Présent : 2" in texts and "Absent : 1" in texts and "Rendez-vous pris : 5" in texts
    assert block.count("<table>") == 1 and "33,3" in block


def test_the_csv_holds_the_table_the_french_way_and_no_formula(client, service, agendas):
    Agenda.objects.filter(pk=agendas["identity"].pk).update(title='=HYPERLINK("http://x")')
    client.force_login(service)
    with time_machine.travel(NOW, tick=False):
        response = client.get(CSV, NOVEMBER)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [CIVIL, "5", "2", "1", "1", "33,3"] in table
    assert ["Tous les agendas", "6", "3", "1", "1", "25,0"] in table
    assert not any(cell.startswith("=") for row in table for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in table for cell in row)


def test_the_csv_is_written_in_the_access_journal(client, service):
    client.force_login(service)
    with time_machine.travel(NOW, tick=False):
        client.get(CSV, NOVEMBER)
    [entry] = AccessEntry.objects.filter(staff=service)
    assert entry.kind == AccessEntry.Kind.STATISTICS
    assert entry.object_repr == "CSV « Rendez-vous » du 01/11/2026 au 30/11/2026"


@pytest.mark.parametrize("persona", ["service", "superuser"])
def test_the_number_of_queries_does_not_grow_with_agendas_and_bookings(
    client, service, agendas, persona
):
    client.force_login(service if persona == "service" else personas.superuser())
    before = queries_of_the_page(client)
    for index in range(1, 10):
        more = factories.agenda(slug=f"autre-{index}", at=agendas["civil"].place)
        more.groups.add(role_group("Service État civil"))
        for day in range(1, 4):
            booking(more, S.ABSENT, 11, day + index)
    assert queries_of_the_page(client) == before
    assert before <= 12, before


def test_the_help_tells_clerks_how_to_read_the_appointments_and_the_regies_figures(client):
    page = client.get(reverse("help")).content.decode()
    for words in ("La partie « Rendez-vous »", "« Présent »", "« Absent »", "« Sans régie »"):
        assert words in page
