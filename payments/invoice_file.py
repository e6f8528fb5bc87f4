"""The billing software's CSV file of invoices, read line by line: what a line says, or why
it is refused. Nothing here touches the database.

``numero;identifiant;libelle;domaine;montant;date_emission;date_echeance``,
semicolon-separated, UTF-8 with or without BOM, one invoice a line (a quoted cell
may hold a semicolon, never a line break); amounts ``12,50`` or ``12.50`` (ASCII
digits, two decimals at most, up to ``MAX_AMOUNT``); dates ``31/12/2026`` or
``2026-12-31`` within ``DATE_SPAN_YEARS`` of today. Whatever a cell holds, a line
is either read or refused with its reason: the import never stops on content.
"""

import codecs
import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from django.utils import timezone

from accounts.identifiers import normalize_identifier
from payments.models import Domain, Invoice

HEADER = [
    "numero",
    "identifiant",
    "libelle",
    "domaine",
    "montant",
    "date_emission",
    "date_echeance",
]
# Optional last column: the régie's code (or name); without it, the domain's régie.
REGIE_COLUMN = "regie"
# Far beyond a real line (seven short cells): a longer one is refused unread.
MAX_LINE_BYTES = 4096
MAX_AMOUNT = Decimal("99999.99")
DATE_SPAN_YEARS = 10
AMOUNT_RE = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?", re.ASCII)
DATE_RES = (
    re.compile(r"(?P<d>[0-9]{2})/(?P<m>[0-9]{2})/(?P<y>[0-9]{4})", re.ASCII),
    re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})", re.ASCII),
)
CHUNK = 1 << 20


class BadFile(Exception):
    """Nothing can be read from this file: nothing is imported."""


class Rejected(Exception):
    """One line cannot be imported; ``str()`` says why."""


@dataclass(frozen=True)
class Row:
    line: int
    number: str
    identifier: str
    label: str
    domain: str
    amount: Decimal
    issue_date: date
    due_date: date
    regie: str = ""  # As written in the file; empty: the domain's régie.


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


DOMAINS = {without_accents(value).lower(): value for value in Domain.values} | {
    without_accents(str(label)).lower(): value for value, label in Domain.choices
}


def file_check(source: BinaryIO) -> int:
    """The header, and UTF-8 from end to end, before anything is written: a file from
    another program or in Latin-1 is refused whole rather than line by line."""
    first = source.readline(MAX_LINE_BYTES)
    header = first.decode("utf-8-sig", errors="replace").rstrip("\r\n").split(";")
    columns = [cell.strip().lower() for cell in header]
    if columns not in (HEADER, [*HEADER, REGIE_COLUMN]):
        found = ";".join(header)[:200]
        raise BadFile(
            f"en-tête incorrect « {found} », attendu « {';'.join(HEADER)} » "
            f"(suivi de « ;{REGIE_COLUMN} » au besoin)"
        )
    source.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    while chunk := source.read(CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            position = offset + error.start + 1
            raise BadFile(f"le fichier n'est pas en UTF-8 (octet {position})") from None
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise BadFile("le fichier n'est pas en UTF-8 (fin du fichier tronquée)") from None
    return len(columns)


def numbered_lines(source: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, the line's bytes) of every line after the header, in bounded memory:
    a line longer than MAX_LINE_BYTES is skipped to its end and given as None."""
    source.seek(0)
    source.readline(MAX_LINE_BYTES)
    number = 1
    while line := source.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := source.readline(CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line.rstrip(b"\r\n")


def cells_of(line: bytes | None) -> list[str]:
    """The line's cells; Rejected when it is too long, holds a NUL or breaks its quotes."""
    if line is None:
        raise Rejected(f"ligne trop longue (plus de {MAX_LINE_BYTES} octets)")
    text = line.decode("utf-8")  # file_check read it all as UTF-8 already.
    if "\x00" in text:
        raise Rejected("caractère nul dans la ligne")
    try:
        return next(csv.reader([text], delimiter=";", strict=True))
    except csv.Error:
        raise Rejected(
            "guillemets mal fermés (une cellule entre guillemets doit se terminer "
            "par un guillemet, sur la même ligne)"
        ) from None


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def shown(text: str) -> str:
    """A cell quoted in a reason, cut short: a reason is one line of the report."""
    return text if len(text) <= 40 else text[:40] + "…"


def parse_amount(text: str) -> Decimal:
    match = AMOUNT_RE.fullmatch(text)
    if match is None:
        raise Rejected(f"montant invalide « {shown(text)} »")
    sign, units, cents = match.groups()
    if cents is not None and len(cents) > 2:
        raise Rejected(f"montant invalide « {shown(text)} » (deux décimales au plus)")
    amount = Decimal(f"{sign}{units}.{cents or '0'}")
    if amount <= 0:
        raise Rejected(f"montant nul ou négatif « {shown(text)} »")
    if amount > MAX_AMOUNT:
        raise Rejected(f"montant trop élevé « {shown(text)} » (99 999,99 au plus)")
    return amount.quantize(Decimal("0.01"))


def parse_date(text: str, *, what: str) -> date:
    for pattern in DATE_RES:
        if match := pattern.fullmatch(text):
            try:
                day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break
            return within_span(day, text=text, what=what)
    raise Rejected(f"{what} invalide « {shown(text)} » (attendu JJ/MM/AAAA ou AAAA-MM-JJ)")


def within_span(day: date, *, text: str, what: str) -> date:
    this_year = timezone.localdate().year
    first, last = this_year - DATE_SPAN_YEARS, this_year + DATE_SPAN_YEARS
    if not first <= day.year <= last:
        raise Rejected(f"{what} hors de la période admise « {text} » (de {first} à {last})")
    return day


def refuse_control_characters(cells: list[str]) -> None:
    for name, cell in zip([*HEADER, REGIE_COLUMN], cells, strict=False):
        if any(unicodedata.category(char) == "Cc" for char in cell):
            raise Rejected(f"caractère de contrôle dans la colonne « {name} »")


def parse_row(line: int, cells: list[str], columns: int = len(HEADER)) -> Row:
    """``columns``: the header's (7, or 8 with ``regie``)."""
    if len(cells) != columns:
        raise Rejected(f"{len(cells)} colonnes au lieu de {columns}")
    refuse_control_characters(cells)
    number, identifier, label, domain, amount, issued, due = (cell.strip() for cell in cells[:7])
    regie = cells[7].strip() if columns > len(HEADER) else ""
    if not number:
        raise Rejected("numéro de facture manquant")
    if len(number) > Invoice._meta.get_field("number").max_length:
        raise Rejected(f"numéro de facture trop long « {shown(number)} »")
    if not identifier:
        raise Rejected("identifiant manquant")
    if not label:
        raise Rejected("libellé manquant")
    if len(label) > Invoice._meta.get_field("label").max_length:
        raise Rejected("libellé trop long")
    if without_accents(domain).lower() not in DOMAINS:
        expected = ", ".join(Domain.values)
        raise Rejected(f"domaine inconnu « {shown(domain)} » (attendu : {expected})")
    issue_date = parse_date(issued, what="date d'émission")
    due_date = parse_date(due, what="date d'échéance")
    if due_date < issue_date:
        raise Rejected("date d'échéance antérieure à la date d'émission")
    return Row(
        line=line,
        number=number,
        identifier=normalize_identifier(identifier),
        label=label,
        domain=DOMAINS[without_accents(domain).lower()],
        amount=parse_amount(amount),
        issue_date=issue_date,
        due_date=due_date,
        regie=regie,
    )
