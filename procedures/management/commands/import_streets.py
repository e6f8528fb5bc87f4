"""Load the town's street register from a BAN addresses file (procedures/catalogue/streets.py)."""

from django.core.management.base import BaseCommand, CommandError

from procedures.catalogue.streets import StreetFileError, read_streets, streets_import


class Command(BaseCommand):
    help = (
        "Charge le répertoire des voies de la commune depuis un fichier de la Base Adresse "
        "Nationale (adresses-<département>.csv) ; sans effet la seconde fois."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV de la BAN")
        parser.add_argument("--commune", default="", help="code INSEE de la commune à garder")

    def handle(self, *args, file, commune="", **options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as stream:
                rows = read_streets(stream, commune=commune)
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from error
        except (StreetFileError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(str(error)) from error
        if not rows:
            raise CommandError("Aucune voie dans ce fichier (vérifiez --commune).")
        created, updated = streets_import(rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(rows)} voie(s) lue(s) : {created} ajoutée(s), {updated} mise(s) à jour."
            )
        )
