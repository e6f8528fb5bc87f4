"""Two runs of `import_invoices` on the same file at once, as two real processes on
PostgreSQL (a cron and an operator, say): one imports, the other stops with a clear
message or, having started after, finds everything unchanged. Never a traceback, never
an invoice twice, never a history row twice."""

import subprocess
import sys

import pytest

from payments.models import Invoice, InvoiceEvent
from tests.payments.test_invoice_import import HEADER
from tests.processes import ROOT, portal_env, require_real_services

pytestmark = pytest.mark.django_db(transaction=True)
LINES = 10_000
BUSY = "Un autre import de factures est en cours"


def test_two_imports_of_one_file_at_once_write_each_invoice_once(tmp_path, citizen):
    require_real_services()
    rows = [
        f"R-{index:05d};{citizen.identifier};Cantine;scolaire;12,50;01/11/2026;30/11/2026"
        for index in range(LINES)
    ]
    path = tmp_path / "factures.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    command = [sys.executable, "manage.py", "import_invoices", str(path)]
    runs = [
        subprocess.Popen(
            command, cwd=ROOT, env=portal_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        outputs.append((run.returncode, out.decode(), err.decode()))
    for code, out, err in outputs:
        assert "Traceback" not in err, err
        assert code == 0 or (code == 1 and BUSY in err), (code, out, err)
    assert sorted(code for code, _out, _err in outputs)[0] == 0
    assert Invoice.objects.count() == LINES
    assert InvoiceEvent.objects.filter(kind=InvoiceEvent.Kind.CREATED).count() == LINES
