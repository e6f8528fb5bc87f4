"""`import_invoices` on the files that crashed it or fooled it: a NUL byte, a giant cell,
a broken quote, amounts and dates out of the rules; in batches with a progress line;
and never two imports at once."""

import io
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from common.locks import exclusive
from payments.invoice_file import BadFile
from payments.models import Invoice, InvoiceEvent
from payments.services.invoice_import import LOCK, invoices_import
from tests.payments.test_invoice_import import HEADER

pytestmark = pytest.mark.django_db


def line(number: str, who: str, label: str = "Cantine", amount: str = "10,00") -> str:
    return f"{number};{who};{label};scolaire;{amount};01/11/2026;30/11/2026"


def write(tmp_path, *rows: str) -> str:
    path = tmp_path / "factures.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return str(path)


def run(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_invoices", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_nul_byte_a_giant_cell_and_a_broken_quote_are_rejected_lines(tmp_path, payer):
    me = payer.identifier
    path = write(
        tmp_path,
        line("F-1", me),  # 2
        line("F-NUL", me, label="Can\x00tine"),  # 3
        line("F-BIG", me, label="x" * 140_000),  # 4
        line("F-QUOTE", me, label='"Cantine'),  # 5
        line("F-2", me),  # 6: not swallowed by the quote above
        line("F-3", me, label='"Cantine; goûter"'),  # 7: a quoted semicolon is fine
    )
    out, _err = run(path)
    assert "Ligne 3 rejetée : caractère nul dans la ligne." in out
    assert "Ligne 4 rejetée : ligne trop longue (plus de 4096 octets)." in out
    assert "Ligne 5 rejetée : guillemets mal fermés" in out
    assert "6 ligne(s) lue(s) — créées : 3, mises à jour : 0, inchangées : 0, rejetées : 3" in out
    assert set(Invoice.objects.values_list("number", flat=True)) == {"F-1", "F-2", "F-3"}
    assert Invoice.objects.get(number="F-3").label == "Cantine; goûter"


def test_amounts_and_dates_out_of_the_rules_are_rejected(tmp_path, payer):
    me = payer.identifier
    path = write(
        tmp_path,
        line("F-EXP", me, amount="1e5"),
        line("F-UND", me, amount="1_000"),
        line("F-ARA", me, amount="١٢"),
        f"F-OLD;{me};Cantine;scolaire;1,00;0001-01-01;30/11/2026",
        f"F-FAR;{me};Cantine;scolaire;1,00;01/11/2026;9999-12-31",
    )
    out, _err = run(path)
    assert "rejetées : 5" in out
    assert not Invoice.objects.exists()


def test_a_large_file_goes_in_batches_with_a_progress_line(tmp_path, payer):
    rows = [line(f"F-{index:04d}", payer.identifier) for index in range(5)]
    rows.append(line("F-0001", payer.identifier))  # a duplicate in a later batch
    totals = []
    with open(write(tmp_path, *rows), "rb") as source:
        report = invoices_import(
            source=source,
            batch_size=2,
            on_batch=lambda report, rejections: totals.append((report.read, rejections)),
        )
    assert [read for read, _rejections in totals] == [2, 4, 6]
    assert totals[-1][1] == [(7, "numéro F-0001 déjà présent ligne 3")]
    assert (report.created, report.rejected) == (5, 1)
    assert InvoiceEvent.objects.filter(kind=InvoiceEvent.Kind.CREATED).count() == 5


def test_the_command_prints_a_progress_line_per_batch(tmp_path, payer):
    _out, err = run(write(tmp_path, line("F-1", payer.identifier)))
    assert (
        err == "… 1 ligne(s) lue(s) — créées : 1, mises à jour : 0, inchangées : 0, rejetées : 0\n"
    )


def test_a_dry_run_in_batches_writes_nothing(tmp_path, payer):
    rows = [line(f"F-{index}", payer.identifier) for index in range(5)]
    with open(write(tmp_path, *rows), "rb") as source:
        report = invoices_import(source=source, batch_size=2, dry_run=True)
    assert report.created == 5
    assert not Invoice.objects.exists()


def test_a_second_import_while_one_runs_stops_and_writes_nothing(tmp_path, payer):
    """The other import holds the lock from another connection (another thread)."""
    holding, release = threading.Event(), threading.Event()

    def other_import():
        try:
            with exclusive(LOCK):
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_import)
    thread.start()
    assert holding.wait(10)
    try:
        with pytest.raises(CommandError, match="Un autre import de factures est en cours"):
            run(write(tmp_path, line("F-1", payer.identifier)))
    finally:
        release.set()
        thread.join()
    assert not Invoice.objects.exists()
    out, _err = run(write(tmp_path, line("F-1", payer.identifier)))
    assert "créées : 1" in out


def test_a_latin1_byte_deep_in_the_file_refuses_it_whole_before_any_batch(payer):
    data = (HEADER + "\n" + line("F-1", payer.identifier) + "\n").encode()
    data += b"x" * (3 << 20) + b"\xe9\n"
    with pytest.raises(BadFile, match="pas en UTF-8"):
        invoices_import(source=io.BytesIO(data))
    assert not Invoice.objects.exists()
