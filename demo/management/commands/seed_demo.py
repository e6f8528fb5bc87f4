"""Load the demo data; safe to run again (it updates what exists)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import (
    appointments,
    catalogue,
    citizen_requests,
    decisions,
    desk,
    families,
    invoices,
    message_templates,
    people,
    regies,
)


class Command(BaseCommand):
    help = "Crée ou met à jour les données de démonstration (comptes, foyers, démarches)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=0,
            metavar="N",
            help=(
                "Ajoute ensuite un jeu de données à l'échelle d'une ville pour le banc d'essai : "
                "N foyers (comptes b000000…, environ 2,5 membres, 5 demandes et 6 factures par "
                "foyer), insérés en masse. Relancé avec le même N, n'ajoute rien."
            ),
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            self.seed_demo()
        if options["households"]:
            self.seed_bench(options["households"], verbose=options["verbosity"] > 1)

    def seed_bench(self, total: int, *, verbose: bool) -> None:
        # Imported here: the bulk generator is only needed for the bench.
        from demo import bulk_seed

        def progress(done: int, todo: int) -> None:
            if done % 20_000 == 0 or done == todo:
                self.stdout.write(f"  {done} / {todo} foyers")

        try:
            summary = bulk_seed.seed_households(total, progress=progress if verbose else None)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if summary.skipped:
            self.stdout.write(f"Foyers du banc d'essai déjà présents : {summary.skipped}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Foyers du banc d'essai ajoutés : {summary.households} "
                f"({summary.members} membres, {summary.requests} demandes, "
                f"{summary.events} événements, {summary.invoices} factures) "
                f"en {summary.seconds:.1f} s."
            )
        )
        self.stdout.write(
            f"Mot de passe de tous les comptes du banc d'essai : {bulk_seed.BENCH_PASSWORD}"
        )

    def seed_demo(self) -> None:
        demo_accounts = people.seed()
        families.seed()
        themes, procedures = catalogue.seed()
        message_templates.seed()
        demo_regies = regies.seed()
        invoice_count = invoices.seed()
        demo_accounts += decisions.seed()  # Documents, steps, routing (issue 25).
        states = citizen_requests.seed()
        handled = desk.seed()
        agendas, bookings = appointments.seed()
        decisions.requests_seed()  # What run_deadlines acts on.
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Catalogue des démarches : {themes} thèmes, {procedures} démarches.")
        self.stdout.write(f"Factures du foyer de démonstration : {invoice_count}.")
        self.stdout.write(
            "Régies : " + ", ".join(f"{r.name} ({r.get_backend_display()})" for r in demo_regies)
        )
        self.stdout.write(
            "Demandes de démonstration : "
            + ", ".join(f"{count} « {state} »" for state, count in states.items())
            + "."
        )
        self.stdout.write(
            f"Demandes attribuées à un agent (« Mes demandes », « Notes internes ») : {handled}."
        )
        self.stdout.write(
            f"Rendez-vous : {agendas} agendas (« Rendez-vous » dans « Services en ligne »), "
            f"{bookings} rendez-vous ajoutés."
        )
        self.stdout.write("Numéros de pré-demande de l'ANTS simulée (DEBUG) :")
        for meaning, numbers in appointments.DEMO_NUMBERS:
            self.stdout.write(f"  {meaning:<50} {numbers}")
        self.stdout.write("Demandes ouvertes par service (admin, « Demandes ») :")
        for group, count in citizen_requests.queues().items():
            self.stdout.write(f"  {group:<50} {count}")
        self.stdout.write("Comptes de démonstration (mots de passe réservés à la démonstration) :")
        for role, identifier, password in demo_accounts:
            self.stdout.write(f"  {role:<50} identifiant {identifier:<13} mot de passe {password}")
        self.stdout.write(
            "Double authentification des agents (active si STAFF_TWO_FACTOR=1) : clé TOTP "
            f"de démonstration {people.DEMO_TOTP_KEY_BASE32}, la même pour tous."
        )
