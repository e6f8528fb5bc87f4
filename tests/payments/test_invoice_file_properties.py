"""Properties of the invoice file's reader (hypothesis): whatever the bytes, a line is read
or refused with a reason, never an exception; what is read is within the README's rules;
and what the billing software writes by the rules reads back the same."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from payments.invoice_file import (
    DATE_SPAN_YEARS,
    HEADER,
    MAX_AMOUNT,
    BadFile,
    Rejected,
    cells_of,
    file_check,
    numbered_lines,
    parse_row,
)
from payments.models import Domain

FAST = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
HEADER_LINE = ";".join(HEADER).encode() + b"\n"


def read(line: bytes):
    """The line's row, or the reason it is refused."""
    try:
        return parse_row(2, cells_of(line))
    except Rejected as error:
        return str(error)


@FAST
@given(st.binary(max_size=300))
@example(b"F-1;abc;Cantine;scolaire;1e5;05/11/2026;30/11/2026")
@example("F-1;abc;Cantine;scolaire;١٢;05/11/2026;30/11/2026".encode())
@example(b"F-1;abc;Cantine;scolaire;1_000;05/11/2026;30/11/2026")
@example(b'F-1;abc;"Cantine;scolaire;1,00;05/11/2026;30/11/2026')
@example(b"F-1;abc;Can\x00tine;scolaire;1,00;05/11/2026;30/11/2026")
def test_any_bytes_are_a_row_or_a_reason(line):
    line = line.replace(b"\n", b"").replace(b"\r", b"")
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return  # Refused whole by file_check before any line is read.
    outcome = read(line)
    if isinstance(outcome, str):
        assert outcome
        return
    assert Decimal("0.01") <= outcome.amount <= MAX_AMOUNT
    assert outcome.amount == outcome.amount.quantize(Decimal("0.01"))
    year = timezone.localdate().year
    for day in (outcome.issue_date, outcome.due_date):
        assert year - DATE_SPAN_YEARS <= day.year <= year + DATE_SPAN_YEARS
    assert outcome.issue_date <= outcome.due_date
    assert "\x00" not in outcome.label + outcome.number + outcome.identifier


TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=";\"'"
    ),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip() == text and text)
NEAR_TODAY = st.dates(
    min_value=timezone.localdate() - timedelta(days=365 * 9),
    max_value=timezone.localdate() + timedelta(days=365 * 9),
)


@FAST
@given(
    number=TEXT,
    label=TEXT,
    domain=st.sampled_from(Domain.values),
    cents=st.integers(min_value=1, max_value=9_999_999),
    comma=st.booleans(),
    issued=NEAR_TODAY,
    days=st.integers(min_value=0, max_value=60),
    french_dates=st.booleans(),
)
def test_a_line_written_by_the_rules_reads_back_the_same(
    number, label, domain, cents, comma, issued, days, french_dates
):
    due = issued + timedelta(days=days)
    amount = f"{cents // 100}{',' if comma else '.'}{cents % 100:02d}"
    pattern = "%d/%m/%Y" if french_dates else "%Y-%m-%d"
    cells = [
        number,
        "abcdefgh",
        label,
        domain,
        amount,
        issued.strftime(pattern),
        due.strftime(pattern),
    ]
    row = read(";".join(cells).encode())
    assert not isinstance(row, str), row
    assert (row.number, row.label, row.domain) == (number, label, domain)
    assert row.amount == Decimal(cents) / 100
    assert (row.issue_date, row.due_date) == (issued, due)


@FAST
@given(st.lists(st.binary(max_size=80), max_size=20))
def test_a_whole_file_is_refused_whole_or_read_line_by_line(lines):
    data = HEADER_LINE + b"\n".join(lines)
    try:
        file_check(io.BytesIO(data))
    except BadFile:
        return
    numbers = []
    for number, line in numbered_lines(io.BytesIO(data)):
        numbers.append(number)
        if line is not None:
            read(line)
    assert numbers == list(range(2, 2 + len(numbers)))


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("1e5", "montant invalide « 1e5 »"),
        ("1_000", "montant invalide « 1_000 »"),
        ("١٢٣", "montant invalide « ١٢٣ »"),
        ("1 000,00", "montant invalide « 1 000,00 »"),
        ("100000", "montant trop élevé « 100000 » (99 999,99 au plus)"),
    ],
)
def test_amounts_only_as_the_readme_says(amount, reason):
    assert read(f"F-1;abc;Cantine;scolaire;{amount};05/11/2026;30/11/2026".encode()) == reason


def test_dates_far_from_today_are_refused():
    year = timezone.localdate().year
    span = f"(de {year - 10} à {year + 10})"
    assert read(b"F-1;abc;Cantine;scolaire;1,00;0001-01-01;30/11/2026") == (
        f"date d'émission hors de la période admise « 0001-01-01 » {span}"
    )
    assert read(b"F-1;abc;Cantine;scolaire;1,00;05/11/2026;9999-12-31") == (
        f"date d'échéance hors de la période admise « 9999-12-31 » {span}"
    )
