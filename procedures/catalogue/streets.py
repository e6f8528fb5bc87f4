"""The town's street register, loaded from the national address base (BAN).

The BAN publishes one CSV per département (``adresses-<département>.csv``, « ; »
separated, UTF-8), one line per address: ``id`` (``<code INSEE>_<voie>_<numéro>``),
``id_fantoir``, ``numero``, ``rep`` (bis, ter…), ``nom_voie``, ``code_postal``,
``code_insee``, ``nom_commune``… Lines are grouped by street; a street is found again
by its BAN id at the next import (its name may have been corrected), so running the
same file twice changes nothing.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from procedures.catalogue import cache
from procedures.catalogue.models import Street

REQUIRED_COLUMNS = {"id", "numero", "nom_voie", "code_postal", "nom_commune"}


class StreetFileError(Exception):
    """The file is not a BAN addresses file; the message says why, in French."""


@dataclass
class StreetRow:
    code: str
    name: str
    postal_code: str
    town: str
    numbers: set[str] = field(default_factory=set)


def street_code(line: dict) -> str:
    """The street's BAN id: ``id`` without its number (``01001_0005``)."""
    parts = line["id"].split("_")
    return "_".join(parts[:2]) if len(parts) >= 2 else line["id"]


def read_streets(lines: Iterable[str], *, commune: str = "") -> list[StreetRow]:
    """The streets of a BAN file, of one commune (code INSEE) if given."""
    reader = csv.DictReader(lines, delimiter=";")
    missing = REQUIRED_COLUMNS - set(reader.fieldnames or ())
    if missing:
        raise StreetFileError(
            "Ce n'est pas un fichier d'adresses de la BAN : colonnes manquantes "
            + ", ".join(sorted(missing))
            + "."
        )
    streets: dict[str, StreetRow] = {}
    for line in reader:
        if commune and line.get("code_insee", "") != commune:
            continue
        name = (line.get("nom_voie") or "").strip()
        if not name:
            continue
        code = street_code(line)
        row = streets.setdefault(
            code,
            StreetRow(
                code=code,
                name=name[:200],
                postal_code=(line.get("code_postal") or "")[:5],
                town=(line.get("nom_commune") or "")[:100],
            ),
        )
        number = f"{line.get('numero', '')}{(' ' + line['rep']) if line.get('rep') else ''}"
        if number.strip() and number.strip() != "99999":
            row.numbers.add(number.strip()[:12])
    return list(streets.values())


def number_key(number: str) -> tuple:
    digits = "".join(char for char in number if char.isdigit())
    return (int(digits) if digits else 0, number)


@transaction.atomic
def streets_import(rows: list[StreetRow]) -> tuple[int, int]:
    """Create or update each street; (created, updated). Nothing else is touched."""
    existing = {
        street.code: street for street in Street.objects.filter(code__in=[r.code for r in rows])
    }
    created = updated = 0
    for row in rows:
        numbers = sorted(row.numbers, key=number_key)
        values = {
            "name": row.name,
            "postal_code": row.postal_code,
            "town": row.town,
            "numbers": numbers,
        }
        street = existing.get(row.code)
        if street is None:
            Street.objects.create(code=row.code, **values)
            created += 1
        elif any(getattr(street, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(street, key, value)
            street.save(update_fields=list(values))
            updated += 1
    cache.forget()
    return created, updated
