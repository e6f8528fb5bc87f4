"""Write a procedure's form as an exchange file (procedures/catalogue/exchange.py)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from procedures.catalogue import selectors
from procedures.catalogue.exchange import export_procedure
from procedures.models import Procedure


class Command(BaseCommand):
    help = (
        "Écrit en JSON le formulaire d'une démarche (pages, questions, blocs, conditions, "
        "pièces, textes ; aucune demande, aucune donnée personnelle)."
    )

    def add_arguments(self, parser):
        parser.add_argument("procedure", help="adresse (slug) de la démarche")
        parser.add_argument("--sortie", dest="output", help="fichier JSON (par défaut : la sortie)")

    def handle(self, *args, procedure, output=None, **options):
        found = Procedure.objects.filter(slug=procedure).values_list("pk", flat=True).first()
        if found is None:
            raise CommandError(f"Aucune démarche « {procedure} ».")
        text = json.dumps(
            export_procedure(selectors.procedure_for_exchange(pk=found)),
            ensure_ascii=False,
            indent=2,
        )
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                stream.write(text + "\n")
        else:
            sys.stdout.write(text + "\n")
