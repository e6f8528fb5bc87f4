"""« Demandes » shows 20 requests a page, newest first; the home page the 20 newest."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from procedures import services
from procedures.models import Request, RequestState
from tests.procedures.factories import ProcedureFactory, complete_answers

LIST = reverse("procedures:request_list")
DETAIL = re.compile(
    re.escape(f'href="{reverse("procedures:detail", args=[999])}"').replace("999", r"(\d+)")
)


def draft(account, procedure):
    return services.request_draft_save(
        account=account, procedure=procedure, member=None, answers=complete_answers(procedure, {})
    )


def submitted(account, count: int, *, procedure=None) -> list[int]:
    """``count`` requests sent a minute apart, in the past; their ids, newest first.

    The drafts are written in the opposite order, so that the newest request has the
    smallest id: the lists must sort by the date of sending, not by id."""
    procedure = procedure or ProcedureFactory()
    drafts = [draft(account, procedure) for _ in range(count)][::-1]
    start = timezone.now() - timedelta(days=2)
    for minute, request in enumerate(drafts):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            services.request_submit(citizen_request=request, by=account)
    return [request.pk for request in reversed(drafts)]


def listed(client, url=LIST, **params) -> tuple[list[int], str]:
    """The ids of the requests on the page, in their order, and the page."""
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    return [int(pk) for pk in DETAIL.findall(html)], html


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]*)" rel="{rel}">', html)
    return found.group(1) if found else None


@pytest.mark.django_db
def test_21_requests_make_two_pages_linked_both_ways(citizen_client, citizen):
    newest_first = submitted(citizen, 21)
    first, html = listed(citizen_client)
    assert first == newest_first[:20]
    assert link(html, "next") == "?page=2" and link(html, "prev") is None
    assert ">Demandes plus anciennes</a>" in html
    assert "Demandes plus récentes" not in html
    second, html = listed(citizen_client, page=2)
    assert second == newest_first[20:]
    assert link(html, "prev") == "?page=1" and link(html, "next") is None
    assert ">Demandes plus récentes</a>" in html
    assert "Demandes plus anciennes" not in html


@pytest.mark.django_db
def test_newest_first_across_pages_none_twice_none_missing(citizen_client, citizen):
    newest_first = submitted(citizen, 45)
    pages = [listed(citizen_client, page=n)[0] for n in (1, 2, 3)]
    assert [len(rows) for rows in pages] == [20, 20, 5]
    assert pages[0] + pages[1] + pages[2] == newest_first
    _, last = listed(citizen_client, page=3)
    assert link(last, "prev") == "?page=2" and link(last, "next") is None


@pytest.mark.django_db
def test_the_state_filter_is_kept_in_the_page_links(citizen_client, citizen, clerk):
    accepted = submitted(citizen, 2)
    for request in Request.objects.filter(pk__in=accepted):
        services.request_transition(citizen_request=request, name="accept", by=clerk)
    received = submitted(citizen, 21)
    first, html = listed(citizen_client, etat="submitted")
    assert first == received[:20]
    assert link(html, "next") == "?etat=submitted&amp;page=2"
    second, html = listed(citizen_client, etat="submitted", page=2)
    assert second == received[20:]
    assert link(html, "prev") == "?etat=submitted&amp;page=1"
    rows, html = listed(citizen_client, etat="accepted")
    assert sorted(rows) == sorted(accepted)
    assert 'class="pagination"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_no_page_links_when_everything_fits(citizen_client, citizen, count):
    newest_first = submitted(citizen, count)
    rows, html = listed(citizen_client)
    assert rows == newest_first
    assert 'class="pagination"' not in html
    assert "Demandes plus anciennes" not in html and "Demandes plus récentes" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "0", "-3", "", "1.5"])
def test_an_invalid_page_number_shows_the_first_page(citizen_client, citizen, page):
    newest_first = submitted(citizen, 21)
    rows, html = listed(citizen_client, page=page)
    assert rows == newest_first[:20]
    assert link(html, "next") == "?page=2" and link(html, "prev") is None


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["", "submitted"])
def test_a_page_beyond_the_end_says_so_and_links_back_to_the_first(citizen_client, citizen, state):
    submitted(citizen, 21)
    params = {"etat": state} if state else {}
    rows, html = listed(citizen_client, page=3, **params)
    assert rows == []
    assert "Il n'y a pas d'autre demande." in html
    back = f"?etat={state}" if state else "?"
    assert f'<a href="{back}">Revenir à la première page</a>' in html
    assert "Vous n'avez pas encore envoyé de demande" not in html


@pytest.mark.django_db
def test_an_absurdly_large_page_number_is_a_page_beyond_the_end(citizen_client, citizen):
    submitted(citizen, 1)
    rows, html = listed(citizen_client, page=str(10**20))
    assert rows == []
    assert "Il n'y a pas d'autre demande." in html


def queries(client, **params) -> list[str]:
    """The SQL of the page opened a second time (the header's unread count is cached)."""
    client.get(LIST, params)
    with CaptureQueriesContext(connection) as context:
        assert client.get(LIST, params).status_code == 200
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.django_db
def test_a_page_costs_the_same_queries_for_21_or_45_requests(citizen_client, citizen):
    submitted(citizen, 21)
    with_21 = len(queries(citizen_client))
    assert len(queries(citizen_client, page=2)) == with_21  # 1 row, as many queries as 20
    submitted(citizen, 24)
    assert len(queries(citizen_client)) == with_21
    assert len(queries(citizen_client, page=3)) == with_21


@pytest.mark.django_db
def test_a_page_does_not_count_the_requests(citizen_client, citizen):
    submitted(citizen, 21)
    listing = [sql for sql in queries(citizen_client) if "procedures_request" in sql]
    assert len(listing) == 1
    assert "COUNT(" not in listing[0].upper()


@pytest.mark.django_db
def test_another_accounts_requests_are_never_listed(citizen_client, citizen, other_citizen):
    submitted(other_citizen, 3)
    mine = submitted(citizen, 1)
    assert listed(citizen_client)[0] == mine
    assert listed(citizen_client, page=2)[0] == []


def dashboard_rows(html: str) -> list[str]:
    return html.split('<li class="request-list__item">')[1:]


@pytest.mark.django_db
def test_the_home_page_lists_the_20_newest_requests_and_the_drafts(citizen_client, citizen):
    newest_first = submitted(citizen, 21, procedure=ProcedureFactory(title="Carte jeune"))
    drafts = [draft(citizen, ProcedureFactory(title=f"Brouillon {n}")) for n in (1, 2)]
    rows, html = listed(citizen_client, reverse("home"))
    assert rows == newest_first[:20]
    assert len(dashboard_rows(html)) == 20
    assert html.count("Étape 1 sur 4 : Reçue") == 20
    for item in drafts:
        assert reverse("procedures:summary", args=[item.pk]) in html
    assert "Brouillon 1 — " in html and "Brouillon 2 — " in html


@pytest.mark.django_db
def test_each_row_of_the_home_page_shows_its_own_progress(citizen_client, citizen, clerk):
    pks = submitted(citizen, 4)
    steps = {
        pks[0]: ("accept", "", "Étape 3 sur 4 : Acceptée"),
        pks[1]: ("refuse", "Hors commune", "Étape 4 sur 4 : Refusée"),
        pks[2]: ("start", "", "Étape 2 sur 4 : En cours de traitement"),
        pks[3]: (None, "", "Étape 1 sur 4 : Reçue"),
    }
    for pk, (name, comment, _text) in steps.items():
        if name:
            services.request_transition(
                citizen_request=Request.objects.get(pk=pk), name=name, by=clerk, comment=comment
            )
    rows = dashboard_rows(citizen_client.get(reverse("home")).content.decode())
    assert len(rows) == 4
    for pk, row in zip(pks, rows, strict=True):
        assert reverse("procedures:detail", args=[pk]) in row
        assert f'<span class="progress__text">{steps[pk][2]}</span>' in row
    assert Request.objects.get(pk=pks[1]).state == RequestState.REFUSED
    assert "progress__fill--refused" in rows[1]
    assert "progress__fill--refused" not in rows[0]
