"""CSV of one procedure's requests over a period, for a service's own tools.

Every cell is written as text, never as a formula (common/spreadsheets.py).
"""

import sys
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.spreadsheets import SafeWriter
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
        header_written = False
        count = 0
        for request in requests.iterator(chunk_size=500):
            answers = answers_for_display(request)
            if not header_written:
                writer.writerow(FIXED_COLUMNS + [row["label"] for row in answers])
                header_written = True
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
                    *[row["value"] for row in answers],
                ]
            )
            count += 1
        if not header_written:
            labels = [field.label for field in procedure.fields.all()]
            writer.writerow(FIXED_COLUMNS + labels)
        return count
