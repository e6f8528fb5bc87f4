"""Deleting a person's data: one class per kind of data, each saying what it removes and
what the law makes the town keep (after pretix's shredder).

``account_shred`` runs them all, in order, for an account that is closed (by its
citizen or at the front desk) or deleted after a year without a login. It is called
inside the caller's transaction: rows go at once, files once it commits
(``privacy.receivers``).
"""

from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from appointments import retention as appointments_retention
from franceconnect.models import FranceConnectLink
from households.models import Household
from notifications.selectors import messages_of_account
from notifications.services import messages_delete_for_account
from payments.services import retention as payments_retention
from privacy.models import DataExport
from procedures import services as procedures
from procedures.models import Procedure, Request


class Shredder:
    """One kind of the account's data."""

    label = ""
    # What stays, and why; empty when nothing does.
    keeps = ""

    def count(self, account: User) -> int:
        raise NotImplementedError

    def shred(self, account: User) -> int:
        """Delete (or detach) the data; returns how many rows."""
        raise NotImplementedError


class CivilStatusRequests(Shredder):
    label = _("demandes d'actes d'état civil")
    keeps = _(
        "Les demandes d'actes d'état civil sont conservées, sans votre compte ni vos "
        "coordonnées, le temps que la loi impose à la mairie (5 ans après la décision)."
    )

    def queryset(self, account):
        return (
            Request.objects.for_account(account)
            .submitted()
            .filter(procedure__kind=Procedure.Kind.CIVIL_STATUS)
        )

    def count(self, account):
        return self.queryset(account).count()

    def shred(self, account):
        return procedures.requests_detach(requests=self.queryset(account))


class Requests(Shredder):
    label = _(
        "demandes, brouillons, pièces justificatives, documents de décision et leurs messages"
    )

    def count(self, account):
        return Request.objects.for_account(account).count()

    def shred(self, account):
        # After CivilStatusRequests: what is left of the account's requests goes.
        return procedures.delete_with_files(Request.objects.for_account(account))


class Invoices(Shredder):
    label = _("factures et paiements")
    keeps = _(
        "Les factures et les paiements sont des pièces comptables : ils sont conservés "
        "10 ans, au nom du débiteur, détachés de votre compte et de votre foyer."
    )

    def count(self, account):
        household = Household.objects.filter(account=account).first()
        return household.invoices.count() if household else 0

    def shred(self, account):
        household = Household.objects.filter(account=account).first()
        if household is None:
            return 0
        return payments_retention.invoices_detach(
            household=household, debtor_name=account.get_full_name() or account.identifier
        )


class Appointments(Shredder):
    label = _("rendez-vous (ceux à venir sont annulés, leur place libérée)")

    def count(self, account):
        return appointments_retention.bookings_of_account(account).count()

    def shred(self, account):
        return appointments_retention.bookings_shred(account=account)


class Messages(Shredder):
    label = _("messages de la mairie")

    def count(self, account):
        return messages_of_account(account=account).count()

    def shred(self, account):
        return messages_delete_for_account(account=account)


class Exports(Shredder):
    label = _("archives « Télécharger mes données »")

    def count(self, account):
        return DataExport.objects.filter(account=account).count()

    def shred(self, account):
        return DataExport.objects.filter(account=account).delete()[0]


class HouseholdData(Shredder):
    label = _("foyer, ses membres et son historique")

    def count(self, account):
        return Household.objects.filter(account=account).count()

    def shred(self, account):
        return Household.objects.filter(account=account).delete()[0]


class FranceConnectLinks(Shredder):
    label = _("liaison FranceConnect et identité certifiée reçue")

    def count(self, account):
        return FranceConnectLink.objects.filter(account=account).count()

    def shred(self, account):
        # The identity is no longer certified once its proof is gone.
        User.objects.filter(pk=account.pk).update(identity_certified_at=None)
        return FranceConnectLink.objects.filter(account=account).delete()[0]


class LoginTraces(Shredder):
    label = _("tentatives et journaux de connexion")

    def querysets(self, account):
        return [
            model.objects.filter(username=account.identifier)
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        ]

    def count(self, account):
        return sum(queryset.count() for queryset in self.querysets(account))

    def shred(self, account):
        return sum(queryset.delete()[0] for queryset in self.querysets(account))


class Account(Shredder):
    label = _("compte et son historique")
    keeps = _(
        "Le journal des consultations par les agents garde votre identifiant jusqu'au "
        "terme de sa durée de conservation : il sert à contrôler les agents."
    )

    def count(self, account):
        return 1

    def shred(self, account):
        return account.delete()[0]


# In this order: requests kept are detached before the others go, invoices before the
# household that holds them, the account last.
SHREDDERS: tuple[Shredder, ...] = (
    CivilStatusRequests(),
    Requests(),
    Invoices(),
    Appointments(),
    Messages(),
    Exports(),
    HouseholdData(),
    FranceConnectLinks(),
    LoginTraces(),
    Account(),
)


@dataclass
class ShredReport:
    counts: dict[str, int]

    def __str__(self) -> str:
        return ", ".join(f"{label} : {n}" for label, n in self.counts.items())


def account_shred(*, account: User) -> ShredReport:
    """Run every shredder on the account; the caller holds the transaction and the lock."""
    counts = {}
    for shredder in SHREDDERS:
        counts[str(shredder.label)] = shredder.shred(account)
    return ShredReport(counts)


def kept_after_closure() -> list[str]:
    """What the closure pages tell the citizen stays."""
    return [str(shredder.keeps) for shredder in SHREDDERS if shredder.keeps]
