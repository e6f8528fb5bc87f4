"""The load benchmark cannot rot: its smoke mode runs here, and the bulk data it seeds is
checked for what the portal relies on (numbers, accounts, households)."""

import re
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from appointments.models import Booking, SlotCounter
from bench.load import NEWER, PAGES
from bench.rush import STEPS
from demo import bulk_bookings, bulk_seed
from households.models import Household, Member, Relationship
from payments.calendar import add_business_days
from payments.models import Domain, Invoice
from procedures.models import Request, RequestCounter, RequestEvent

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"


def seed(households: int) -> str:
    out = StringIO()
    call_command("seed_demo", "--households", str(households), stdout=out)
    return out.getvalue()


@pytest.mark.bench
def test_the_smoke_run_exits_cleanly_and_reports_every_page_and_the_rush(tmp_path):
    report = tmp_path / "RESULTS.md"
    before = RESULTS.read_bytes() if RESULTS.exists() else None
    completed = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--output", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hang: a loaded CI machine takes 140 s
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    text = report.read_text()
    for page in PAGES:
        assert f"| {page.label} |" in text, page.label
    assert "## Targets" in text
    assert "## SQL queries per page and household" in text
    # Issue 29, item 5: the newer pages in their section, each with its query count.
    newer = text.split("## Appointments, statistics and payments", 1)[1].split("\n## ", 1)[0]
    for key in NEWER:
        label = next(page.label for page in PAGES if page.key == key)
        assert re.search(rf"^\| {re.escape(label)} \|.*\| \d+ \|$", newer, re.M), label
    assert "## Rush: the morning school registrations open" in text
    for _key, label in STEPS:
        assert f"| {label} |" in text, label
    assert "exactly one request number" in text
    # Eight parents at once and not one error, on SQLite too (issue 23: WAL, IMMEDIATE).
    assert re.search(r"^\| 8 \| [\d.]+ \| [\d.]+ \| 0 \|", text, re.M), text
    assert "### CPU per journey" in text
    assert (RESULTS.read_bytes() if RESULTS.exists() else None) == before


def test_seed_demo_households_adds_validated_bench_citizens_with_their_households(db):
    output = seed(3)
    assert "Foyers du banc d'essai ajoutés : 3" in output
    accounts = User.objects.filter(identifier__in=["b000000", "b000001", "b000002"])
    assert accounts.count() == 3
    for account in accounts:
        assert account.is_validated
        assert check_password(bulk_seed.BENCH_PASSWORD, account.password)
        joined = timezone.localdate(account.date_joined)
        assert add_business_days(joined, 3) < timezone.localdate()
        holder = Member.objects.get(household__account=account, relationship=Relationship.HOLDER)
        assert (holder.first_names, holder.last_name) == (account.first_name, account.last_name)
        assert holder.birth_date == account.birth_date


def test_running_it_again_with_the_same_number_adds_nothing(db):
    seed(3)
    counts = bulk_seed.counts()
    output = seed(3)
    assert "Foyers du banc d'essai déjà présents : 3." in output
    assert bulk_seed.counts() == counts
    seed(5)
    assert Household.objects.filter(account__identifier__startswith="b0000").count() == 5


def test_request_numbers_come_after_the_counter_and_leave_it_at_the_highest(db):
    year = timezone.localdate().year
    RequestCounter.objects.create(year=year, last=41)
    seed(40)
    numbers = list(
        Request.objects.filter(number__startswith=f"{year}-").values_list("number", flat=True)
    )
    taken = sorted(int(number.split("-")[1]) for number in numbers)
    assert taken, "some bench requests were sent this year"
    assert taken[0] > 41
    assert len(taken) == len(set(taken))
    assert RequestCounter.objects.get(year=year).last == taken[-1]


def test_every_sent_request_has_its_history_and_drafts_have_none(db):
    seed(20)
    bench = Request.objects.filter(account__identifier__startswith="b0000")
    sent = bench.exclude(state="draft")
    assert sent.exists()
    assert not sent.filter(number=None).exists()
    assert not sent.exclude(events__transition="submit").exists()
    assert not RequestEvent.objects.filter(request__in=bench.filter(state="draft")).exists()
    done = sent.filter(state="done").first()
    if done is not None:
        path = list(done.events.order_by("at", "pk").values_list("to_state", flat=True))
        assert path == ["submitted", "in_progress", "accepted", "done"]
        assert done.decided_at - done.submitted_at >= timedelta(0)


def test_the_bench_agendas_are_booked_with_their_counters_and_invoices_are_in_their_regies(db):
    seed(30)
    agendas = bulk_bookings.bench_agendas()
    assert agendas.count() == bulk_bookings.AGENDAS
    bookings = Booking.objects.filter(agenda__in=agendas)
    per_slot = Counter(bookings.values_list("agenda", "starts_at"))
    counters = SlotCounter.objects.filter(agenda__in=agendas)
    counters = {(c.agenda_id, c.starts_at): c.taken for c in counters}
    assert per_slot and counters == dict(per_slot)
    assert max(per_slot.values()) <= bulk_bookings.DESKS
    # One upcoming booking per citizen and agenda (one_future_per_person), each with its
    # pre-application number (an identity agenda).
    assert len(set(bookings.values_list("agenda", "account"))) == bookings.count()
    assert not bookings.filter(applications__isnull=True).exists()
    bench = Invoice.objects.filter(household__account__identifier__startswith="b0000")
    assert not bench.filter(regie__isnull=True).exists()
    music = bench.filter(domain=Domain.MUSIC_SCHOOL)
    assert music.exists() and not music.exclude(regie__code="conservatoire").exists()
    assert bench.filter(regie__code="scolaire").exists()
    # Seeded once: a second run adds no agenda and no booking.
    seed(30)
    assert Booking.objects.filter(agenda__in=agendas).count() == bookings.count()
