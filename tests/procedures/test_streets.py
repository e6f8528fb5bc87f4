"""The town's street register loaded from a BAN file (manage.py import_streets)."""

import pytest
from django.core.management import CommandError, call_command

from procedures.models import Street
from tests.procedures.factories import DEMO_STREETS

pytestmark = pytest.mark.django_db


def test_the_import_groups_addresses_by_street_and_keeps_one_commune():
    call_command("import_streets", str(DEMO_STREETS), commune="99999")
    assert Street.objects.count() == 12
    tilleuls = Street.objects.get(name="Rue des Tilleuls")
    assert (tilleuls.postal_code, tilleuls.town, tilleuls.code) == (
        "99999",
        "Villeneuve-sur-Example",
        "99999_0010",
    )
    assert "8 bis" in tilleuls.numbers and tilleuls.numbers[0] == "1"
    assert not Street.objects.filter(town="Autreville").exists()


def test_a_second_run_changes_nothing_and_a_renamed_street_is_found_again(tmp_path):
    call_command("import_streets", str(DEMO_STREETS))
    rows = list(Street.objects.order_by("pk").values())
    call_command("import_streets", str(DEMO_STREETS))
    assert list(Street.objects.order_by("pk").values()) == rows
    renamed = tmp_path / "adresses.csv"
    renamed.write_text(
        DEMO_STREETS.read_text(encoding="utf-8").replace(
            "Rue des Tilleuls", "Rue des Tilleuls Argentés"
        ),
        encoding="utf-8",
    )
    call_command("import_streets", str(renamed))
    assert Street.objects.count() == len(rows)
    assert Street.objects.filter(name="Rue des Tilleuls Argentés", code="99999_0010").exists()


def test_a_file_that_is_not_the_ban_s_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("nom;prenom\nA;B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="colonnes manquantes"):
        call_command("import_streets", str(path))
    assert not Street.objects.exists()
