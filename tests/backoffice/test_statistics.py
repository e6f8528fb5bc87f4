"""« Statistiques » (backoffice.statistics, filled by procedures.statistics and
payments.statistics): the figures of a dataset whose answers are known, each chart a
well-formed SVG with its table, the CSV, who may read what, and a pinned number of
queries.

Personas: ``service`` (« Service État civil », the theme of the procedures « Naissance »
and « Mariage »), ``billing`` (« Régie »), ``front_desk`` (``clerk``, « Accueil »),
``catalogue`` (« Administration fonctionnelle »), ``boss`` (superuser).

The dataset (November 2026, times in Paris; « now » is 7 December 2026, 10:00):

- « Naissance » (silence rule, 10 days): decided after 2, 14 and 4 days, one still in
  progress → median 4, 90th percentile 12; the 14-day one and the undecided one missed
  the silence date;
- « Mariage » (no silence rule): decided after 10 days having waited 2 days for the
  citizen; one waiting since 11 November → 26 days;
- « Encombrants » of another theme, and a request of October: outside the figures of
  the service (the superuser sees the first);
- invoices issued in November: « Régie scolaire » 10 € paid online, 20 € paid at the
  counter, 30 € unpaid after its due date (20 November); « Régie du conservatoire »
  5,50 € due on 31 December; one without a régie, 12 € unpaid after 25 November; one
  of October, outside the period.
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice.models import AccessEntry
from payments.models import Domain, Invoice, InvoiceState, Payment, Provider, Regie, RegieClerk
from procedures.models import Procedure, Request, RequestEvent, RequestState
from tests.backoffice import personas
from tests.payments.factories import InvoiceFactory
from tests.procedures.factories import ProcedureFactory, ThemeFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)
PAGE = reverse("admin:statistics")
NOVEMBER = {"du": "2026-11-01", "au": "2026-11-30"}


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, 0, tzinfo=PARIS)


def sent(procedure, state, submitted, decided=None, *, waits=()):
    """A request as the data would leave it; ``waits``: (from, until or None) pairs."""
    request = Request.objects.create(procedure=procedure)
    Request.objects.filter(pk=request.pk).update(
        state=state,
        number=f"2026-{request.pk:06d}",
        submitted_at=submitted,
        decided_at=decided,
        subject_name="Foyer test",
    )
    for start, end in waits:
        RequestEvent.objects.create(
            request=request, at=start, from_state=RequestState.IN_PROGRESS,
            to_state=RequestState.WAITING, transition="ask_citizen",
        )  # fmt: skip
        if end is not None:
            RequestEvent.objects.create(
                request=request, at=end, from_state=RequestState.WAITING,
                to_state=RequestState.IN_PROGRESS, transition="citizen_reply",
            )  # fmt: skip
    return request


@pytest.fixture
def dataset():
    civil = ThemeFactory(title="État civil", slug="stats-etat-civil")
    other = ThemeFactory(title="Environnement", slug="stats-environnement")
    birth = ProcedureFactory(
        theme=civil,
        title="Naissance",
        silence_rule=Procedure.Silence.ACCEPTANCE,
        silence_delay_days=10,
    )
    wedding = ProcedureFactory(theme=civil, title="Mariage")
    waste = ProcedureFactory(theme=other, title="Encombrants")
    S = RequestState
    sent(birth, S.ACCEPTED, at(11, 2), at(11, 4))
    sent(birth, S.REFUSED, at(11, 3), at(11, 17))
    sent(birth, S.IN_PROGRESS, at(11, 5))
    sent(birth, S.DONE, at(11, 6), at(11, 10))
    sent(birth, S.ACCEPTED, at(10, 20), at(10, 22))  # October: outside the period
    sent(wedding, S.WAITING, at(11, 10), waits=[(at(11, 11), None)])
    sent(wedding, S.ACCEPTED, at(11, 12), at(11, 22), waits=[(at(11, 13), at(11, 15))])
    sent(waste, S.SUBMITTED, at(11, 10))
    # Invoices issued in November (and one in October).
    school = Regie.objects.create(
        name="Régie scolaire", code="scolaire", backend=Provider.SIMULATED
    )
    music = Regie.objects.create(
        name="Régie du conservatoire", code="conservatoire", backend=Provider.SIMULATED
    )
    november = date(2026, 11, 5)
    online = InvoiceFactory(regie=school, issue_date=november, amount=Decimal("10.00"))
    payment = Payment.objects.create(
        household=None, provider=Provider.SIMULATED, provider_reference="cs_stats",
        amount=Decimal("10.00"), regie=school,
    )  # fmt: skip
    Invoice.objects.filter(pk=online.pk).update(state=InvoiceState.PAID, payment=payment)
    counter = InvoiceFactory(regie=school, issue_date=november, amount=Decimal("20.00"))
    Invoice.objects.filter(pk=counter.pk).update(state=InvoiceState.PAID)
    InvoiceFactory(
        regie=school, issue_date=november, due_date=date(2026, 11, 20), amount=Decimal("30.00"),
    )  # fmt: skip
    InvoiceFactory(
        regie=music, domain=Domain.MUSIC_SCHOOL, issue_date=november,
        due_date=date(2026, 12, 31), amount=Decimal("5.50"),
    )  # fmt: skip
    InvoiceFactory(
        domain=Domain.HOLIDAYS, issue_date=november, due_date=date(2026, 11, 25),
        amount=Decimal("12.00"),
    )  # fmt: skip
    InvoiceFactory(regie=school, issue_date=date(2026, 10, 5))
    return civil


@pytest.fixture
def service(dataset):
    return personas.service_clerk(dataset)


def figures(client, **params):
    with time_machine.travel(NOW, tick=False):
        response = client.get(PAGE, params or NOVEMBER)
    assert response.status_code == 200
    return response


def figure_rows(response, section: str, slug: str) -> dict[str, dict]:
    [found] = [s for s in response.context["sections"] if s["section"].slug == section]
    [figure] = [f["figure"] for f in found["figures"] if f["figure"].slug == slug]
    rows = {row[figure.category]: row for row in figure.rows}
    rows["total"] = figure.total
    return rows


def test_a_service_reads_the_figures_of_its_procedures_for_the_period(client, service):
    client.force_login(service)
    response = figures(client)

    received = figure_rows(response, "demandes", "recues")
    assert {name: row["received"] for name, row in received.items()} == {
        "Naissance": 4, "Mariage": 2, "total": 6,
    }  # fmt: skip
    states = figure_rows(response, "demandes", "etats")
    assert states["Naissance"]["accepted"] == 1 and states["Naissance"]["in_progress"] == 1
    assert states["Mariage"]["waiting"] == 1 and states["total"]["refused"] == 1
    delays = figure_rows(response, "demandes", "delais")
    assert delays["Naissance"]["decided"] == 3
    assert delays["Naissance"]["median"] == pytest.approx(4)
    assert delays["Naissance"]["p90"] == pytest.approx(12)
    assert delays["Mariage"]["median"] == pytest.approx(10)
    assert delays["total"]["median"] == pytest.approx(7)
    assert delays["total"]["p90"] == pytest.approx(12.8)
    silence = figure_rows(response, "demandes", "silence")
    assert (silence["Naissance"]["ruled"], silence["Naissance"]["missed"]) == (4, 2)
    assert "Mariage" not in silence
    waits = figure_rows(response, "demandes", "attente")
    assert waits["Mariage"]["waited"] == 2
    assert waits["Mariage"]["days"] == pytest.approx(28)
    assert waits["Mariage"]["average"] == pytest.approx(14)
    assert "Encombrants" not in response.content.decode()
    # A service has no right to the invoices: no such section (its appointments are
    # tests/appointments/test_statistics.py's).
    assert [s["section"].slug for s in response.context["sections"]] == [
        "demandes",
        "rendez-vous",
    ]


def test_a_superuser_reads_every_procedure_and_the_invoices(client, dataset):
    client.force_login(personas.superuser())
    response = figures(client)
    received = figure_rows(response, "demandes", "recues")
    assert received["Encombrants"]["received"] == 1 and received["total"]["received"] == 7
    invoices = figure_rows(response, "factures", "factures")
    school = invoices["Régie scolaire"]
    assert (school["issued"], school["online"], school["counter"], school["overdue"]) == (
        3,
        1,
        1,
        1,
    )
    assert (school["online_amount"], school["counter_amount"]) == (Decimal(10), Decimal(20))
    assert school["issued_amount"] == Decimal("60.00")
    assert school["overdue_amount"] == Decimal("30.00")
    assert invoices["Régie du conservatoire"]["issued_amount"] == Decimal("5.50")
    assert invoices["Régie du conservatoire"]["overdue"] == 0
    without = invoices["Sans régie"]
    assert (without["issued"], without["overdue"], without["overdue_amount"]) == (1, 1, 12)
    assert invoices["total"]["issued"] == 5 and invoices["total"]["overdue"] == 2
    # By name, the invoices without a régie last.
    [section] = [s for s in response.context["sections"] if s["section"].slug == "factures"]
    assert [row["group"] for row in section["figures"][0]["figure"].rows] == [
        "Régie du conservatoire", "Régie scolaire", "Sans régie",
    ]  # fmt: skip


def test_the_billing_clerk_reads_the_invoices_only(client, dataset):
    client.force_login(personas.billing_clerk())
    response = figures(client)
    assert [s["section"].slug for s in response.context["sections"]] == ["factures"]
    assert figure_rows(response, "factures", "factures")["total"]["issued"] == 5


def test_a_clerk_of_some_regies_reads_their_invoices_only(client, dataset):
    billing = personas.billing_clerk()
    RegieClerk.objects.create(user=billing, regie=Regie.objects.get(code="conservatoire"))
    client.force_login(billing)
    invoices = figure_rows(figures(client), "factures", "factures")
    assert set(invoices) == {"Régie du conservatoire", "total"}
    assert invoices["total"]["issued"] == 1
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("admin:statistics_csv", args=["factures"]), NOVEMBER)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    groups = [row[0] for row in rows[4:]]
    assert groups == ["Régie du conservatoire", "Toutes"]
    assert rows[4][1:3] == ["1", "5,50"]


@pytest.mark.parametrize("persona", ["front_desk", "catalogue"])
def test_staff_without_a_section_get_403(client, clerk, dataset, persona):
    client.force_login(clerk if persona == "front_desk" else personas.catalogue_admin())
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("admin:statistics_csv", args=["demandes"])).status_code == 403


def test_a_citizen_and_a_visitor_are_sent_to_the_admin_login(client, citizen):
    assert client.get(PAGE)["Location"].startswith(reverse("admin:login"))
    client.force_login(citizen)
    assert client.get(PAGE)["Location"].startswith(reverse("admin:login"))


def test_each_chart_is_well_formed_svg_with_a_title_a_description_and_its_table(client, service):
    client.force_login(service)
    page = figures(client).content.decode()
    charts = re.findall(r"<svg xmlns=[^>]*class=\"statistics-chart\".*?</svg>", page, flags=re.S)
    assert len(charts) == 6  # five of the requests, one of the appointments
    for chart in charts:
        root = ET.fromstring(chart)  # noqa: S314 our own SVG
        title, desc = root[0], root[1]
        assert title.tag.endswith("title") and title.text
        assert desc.tag.endswith("desc") and "tableau" in desc.text
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == title.get("id")
        assert root.get("aria-describedby") == desc.get("id")
        assert "style" not in chart  # the CSP forbids inline styles
    blocks = re.findall(r'<figure class="statistics-figure".*?</figure>', page, flags=re.S)
    assert len(blocks) == 6
    for block in blocks:
        assert block.count('class="statistics-chart"') == 1 and block.count("<table>") == 1
    # The chart of the requests received: one bar per procedure, each with its number.
    received = ET.fromstring(charts[0])  # noqa: S314 our own SVG
    bars = [element for element in received.iter() if element.tag.endswith("rect")]
    texts = [element.text for element in received.iter() if element.tag.endswith("text")]
    assert len(bars) == 2 and "4" in texts and "2" in texts


def test_a_wrong_period_gets_a_french_message_and_no_figures(client, service):
    client.force_login(service)
    response = figures(client, du="2026-11-30", au="2026-11-01")
    page = response.content.decode()
    assert "Le dernier jour précède le premier." in page
    assert response.context["sections"] == []
    response = figures(client, du="pas une date", au="")
    assert "Date invalide." in response.content.decode()


def test_without_a_period_the_page_shows_the_month_so_far(client, service):
    client.force_login(service)
    with time_machine.travel(NOW, tick=False):
        response = client.get(PAGE)
    assert response.context["period"].start == date(2026, 12, 1)
    assert response.context["period"].end == date(2026, 12, 7)


def test_the_csv_holds_the_tables_numbers_the_french_way_and_no_formula(client, service):
    Procedure.objects.filter(title="Mariage").update(title='=HYPERLINK("http://x")')
    client.force_login(service)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("admin:statistics_csv", args=["demandes"]), NOVEMBER)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Naissance", "État civil", "4"] in rows
    assert ["Naissance", "État civil", "3", "4,0", "12,0"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_a_section_s_csv_is_refused_to_who_cannot_read_it_and_404_when_unknown(client, service):
    client.force_login(service)
    assert client.get(reverse("admin:statistics_csv", args=["factures"])).status_code == 403
    assert client.get(reverse("admin:statistics_csv", args=["inconnue"])).status_code == 404


def test_the_page_and_the_csv_are_written_in_the_access_journal(client, service):
    client.force_login(service)
    figures(client)
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("admin:statistics_csv", args=["demandes"]), NOVEMBER)
    entries = list(AccessEntry.objects.filter(staff=service).order_by("pk"))
    assert [entry.kind for entry in entries] == [AccessEntry.Kind.STATISTICS] * 2
    assert entries[0].object_repr == "Statistiques du 01/11/2026 au 30/11/2026"
    assert entries[1].object_repr.startswith("CSV « Demandes »")


def test_the_admin_index_links_to_the_figures_for_who_may_read_them(client, service, clerk):
    client.force_login(service)
    assert PAGE in client.get(reverse("admin:index")).content.decode()
    client.force_login(clerk)
    assert PAGE not in client.get(reverse("admin:index")).content.decode()


def queries_of_the_page(client) -> int:
    client.get(PAGE, NOVEMBER)  # session and permissions cached as on any second page
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as context:
        assert client.get(PAGE, NOVEMBER).status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(client, dataset):
    client.force_login(personas.superuser())
    before = queries_of_the_page(client)
    more = ProcedureFactory(theme=dataset, title="Reconnaissance", silence_delay_days=5,
                            silence_rule=Procedure.Silence.REFUSAL)  # fmt: skip
    for day in range(1, 20):
        sent(more, RequestState.WAITING, at(11, day), waits=[(at(11, day, 12), None)])
        InvoiceFactory(domain=Domain.HOLIDAYS, issue_date=date(2026, 11, day))
        regie = Regie.objects.create(
            name=f"Régie {day}", code=f"r{day}", backend=Provider.SIMULATED
        )
        InvoiceFactory(regie=regie, issue_date=date(2026, 11, day))
    assert queries_of_the_page(client) == before
    assert before <= 14, before


def test_a_service_s_clerk_s_page_costs_the_same_whatever_the_data(client, dataset, service):
    """The bench measures the page for a service's clerk too (bench/features.py)."""
    client.force_login(service)
    before = queries_of_the_page(client)
    for day in range(1, 20):
        sent(dataset.procedures.first(), RequestState.WAITING, at(11, day))
    assert queries_of_the_page(client) == before
    assert before <= 14, before


def test_a_period_ending_on_the_calendar_s_last_day_gets_a_french_message_not_a_500(
    client, service
):
    client.force_login(service)
    period = {"du": "9999-12-01", "au": "9999-12-31"}
    response = figures(client, **period)
    assert response.status_code == 200
    assert "Date invalide." in response.content.decode()
    csv_url = reverse("admin:statistics_csv", args=["demandes"])
    assert client.get(csv_url, period).status_code < 500
    first_day = client.get(csv_url, {"du": "0001-01-01", "au": "0001-01-31"})
    assert first_day.status_code < 500  # SQLite stores UTC: Paris's 1 January of year 1 is not
