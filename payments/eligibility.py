"""When a citizen sees invoices: a validated account, created more than 2 business days ago.

The FAQ: « avoir créé votre compte depuis plus de 2 jours ouvrés, délai nécessaire
pour que nos services le vérifient et le valident ». An account created on a
Monday sees its invoices from Thursday; on a Wednesday before Ascension, from the
next Tuesday.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from payments.calendar import add_business_days

BUSINESS_DAYS_OF_CHECKING = 2


@dataclass(frozen=True)
class Eligibility:
    validated: bool
    # The first day the invoices show: after 2 whole business days following the creation.
    visible_from: date
    today: date

    @property
    def waited_enough(self) -> bool:
        return self.today >= self.visible_from

    @property
    def eligible(self) -> bool:
        return self.validated and self.waited_enough


def eligibility_of(account: User, *, today: date | None = None) -> Eligibility:
    created = timezone.localdate(account.date_joined)
    return Eligibility(
        validated=account.is_validated,
        visible_from=add_business_days(created, BUSINESS_DAYS_OF_CHECKING) + timedelta(days=1),
        today=today or timezone.localdate(),
    )
