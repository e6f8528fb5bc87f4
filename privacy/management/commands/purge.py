"""Retention: delete what the « Données personnelles » page says is not kept.

Every period is a setting and every category lives in ``privacy.retention``; this
command only prints what it did (or, with ``--dry-run``, what it would do).
"""

from django.core.management.base import BaseCommand

from privacy import retention


class Command(BaseCommand):
    help = (
        "Applique les durées de conservation de la page « Données personnelles » : comptes "
        "inactifs (avis par mail puis suppression), brouillons, demandes et documents, "
        "factures, messages, tentatives et journaux de connexion, journal des consultations "
        "des agents, sessions expirées, anciennes valeurs des historiques, archives "
        "« Télécharger mes données », fichiers qu'aucune ligne ne nomme. Avec --dry-run, "
        "affiche ce qui serait supprimé, par catégorie, sans rien supprimer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="compte sans rien supprimer")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write("Simulation, rien n'est supprimé :")
            counts = retention.count_all_categories()
        else:
            counts = retention.purge_all()
        for label, count in counts.items():
            self.stdout.write(f"  {count} {label}")
        total = sum(counts.values())
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Terminé : {total} élément(s) traité(s)."))
