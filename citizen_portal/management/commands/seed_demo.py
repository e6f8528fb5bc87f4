"""Load the demo data; safe to run again (it updates what exists)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from households import demo as households_demo
from notifications import demo as notifications_demo
from procedures import demo as procedures_demo


class Command(BaseCommand):
    help = "Crée ou met à jour les données de démonstration (comptes, foyers, démarches)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = accounts_demo.seed()
        households_demo.seed()
        themes, procedures = procedures_demo.seed()
        notifications_demo.seed()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Catalogue des démarches : {themes} thèmes, {procedures} démarches.")
        self.stdout.write("Comptes de démonstration (mots de passe réservés à la démonstration) :")
        for role, identifier, password in people:
            self.stdout.write(f"  {role:<34} identifiant {identifier:<10} mot de passe {password}")
