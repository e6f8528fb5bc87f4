"""Read a procedure's exchange file back (procedures/catalogue/exchange.py): checked
whole first; one problem and nothing is written."""

import json

from django.core.management.base import BaseCommand, CommandError

from procedures.catalogue.exchange import MAX_FILE_BYTES, ImportRefused, import_procedure


def load(path: str) -> dict:
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CommandError(f"Fichier illisible : {error}") from error
    if len(raw) > MAX_FILE_BYTES:
        raise CommandError("Fichier trop gros (1 Mo au plus).")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"Ce n'est pas un fichier JSON en UTF-8 : {error}") from error


class Command(BaseCommand):
    help = "Importe une démarche depuis un fichier JSON d'échange ; elle arrive dépubliée."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier JSON écrit par export_procedure")
        parser.add_argument("--slug", default="", help="une autre adresse pour la démarche")

    def handle(self, *args, file, slug="", **options):
        try:
            procedure = import_procedure(load(file), slug=slug)
        except ImportRefused as refused:
            raise CommandError(
                "Rien n'est importé :\n" + "\n".join(f"- {line}" for line in refused.problems)
            ) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Démarche « {procedure.title} » importée à l'adresse « {procedure.slug} », "
                "dépubliée : relisez-la dans l'administration avant de la publier."
            )
        )
