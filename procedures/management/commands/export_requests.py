"""CSV of one procedure's requests over a period, for a service's own tools.

Every cell is written as text, never as a formula (common/spreadsheets.py).
"""

import sys
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.spreadsheets import SafeWriter
from procedures.catalogue.definition import Block, definition_of
from procedures.models import Procedure, Request
from procedures.selectors import answers_for_display, request_with_details

FIXED_COLUMNS = [
    "numero",
    "date_envoi",
    "etat",
    "personne_concernee",
    "date_naissance",
    "adresse",
    "courriel",
]


def answer_columns(procedure: Procedure) -> list[tuple[str, str]]:
    """(name, label) of one column per question of the procedure's form, and per item of
    a block up to its maximum (« Véhicule 2 — Immatriculation »), in the form's order.
    A question a request did not see (hidden, or added since) leaves its cell empty."""
    if procedure.kind == Procedure.Kind.CIVIL_STATUS:
        from procedures.civil_status import ANSWER_LABELS

        return [(name, str(label)) for name, label in ANSWER_LABELS.items()]
    columns = []
    for page in definition_of(procedure).pages:
        for item in page.items:
            if isinstance(item, Block):
                columns += [
                    (
                        f"{item.name}.{number}.{question.name}",
                        f"{item.label} {number} — {question.label}",
                    )
                    for number in range(1, item.max_items + 1)
                    for question in item.questions
                    if question.asked
                ]
            elif item.asked:
                columns.append((item.name, item.label))
    return columns


def parse_day(value: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CommandError(f"Date illisible : {value} (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)")


class Command(BaseCommand):
    help = "Exporte en CSV (point-virgule, UTF-8) les demandes d'une démarche sur une période."

    def add_arguments(self, parser):
        parser.add_argument("procedure", help="adresse (slug) de la démarche")
        parser.add_argument("--du", dest="start", required=True, help="premier jour (inclus)")
        parser.add_argument("--au", dest="end", required=True, help="dernier jour (inclus)")
        parser.add_argument("--sortie", dest="output", help="fichier CSV (par défaut : la sortie)")

    def handle(self, *args, procedure, start, end, output=None, **options):
        found = Procedure.objects.filter(slug=procedure).first()
        if found is None:
            raise CommandError(f"Aucune démarche « {procedure} ».")
        first, last = parse_day(start), parse_day(end)
        if last < first:
            raise CommandError("La fin de la période précède son début.")
        period = (
            timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)),
        )
        requests = request_with_details(
            Request.objects.submitted().filter(
                procedure=found, submitted_at__gte=period[0], submitted_at__lt=period[1]
            )
        ).order_by("submitted_at")
        stream = open(output, "w", newline="", encoding="utf-8-sig") if output else sys.stdout  # noqa: SIM115
        try:
            count = self.write(stream, found, requests)
        finally:
            if output:
                stream.close()
        self.stderr.write(self.style.SUCCESS(f"{count} demande(s) exportée(s)."))

    def write(self, stream, procedure, requests) -> int:
        writer = SafeWriter(stream, delimiter=";")
        columns = answer_columns(procedure)
        writer.writerow(FIXED_COLUMNS + [label for _name, label in columns])
        count = 0
        for request in requests.iterator(chunk_size=500):
            answers = {row["name"]: row["value"] for row in answers_for_display(request)}
            writer.writerow(
                [
                    request.number,
                    timezone.localtime(request.submitted_at).strftime("%d/%m/%Y %H:%M"),
                    request.get_state_display(),
                    request.subject_name,
                    request.subject_birth_date.strftime("%d/%m/%Y")
                    if request.subject_birth_date
                    else "",
                    request.address,
                    request.contact_email,
                    *[answers.get(name, "") for name, _label in columns],
                ]
            )
            count += 1
        return count
