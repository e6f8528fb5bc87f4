"""« Fermer mon compte » (RGPD art. 17): the citizen online, or a clerk at the front desk.

One service for both: what the law makes the town keep is kept, detached from the
person; everything else goes at once, files after the commit; a mail confirms.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from appointments.retention import upcoming_for_closure
from households.models import Household
from notifications.models import MessageKind
from notifications.services import message_queue
from notifications.topics import ACCOUNT_CLOSED
from payments.services.retention import household_has_payment_running
from privacy.shredder import ShredReport, account_shred, kept_after_closure
from procedures import services as procedures
from procedures.models import Request

log = logging.getLogger(__name__)


class ClosureRefused(Exception):
    """Why the account cannot be closed now, in French for the person who asked."""


def open_requests(account: User):
    """The requests that would stop: the citizen agrees to their cancellation first."""
    return Request.objects.for_account(account).open().select_related("procedure")


def closure_refusal(account: User) -> str | None:
    """A reason the account cannot be closed now, or None."""
    if account.is_staff:
        return _("Un compte d'agent ne se ferme pas ici : un administrateur le désactive.")
    household = Household.objects.filter(account=account).first()
    if household is not None and household_has_payment_running(household=household):
        return _(
            "Un paiement par carte est en cours : attendez son résultat (quelques minutes) "
            "avant de fermer le compte."
        )
    return None


@transaction.atomic
def account_close(*, account: User, by: User, cancel_open_requests: bool) -> ShredReport:
    """Close the account: cancel its open requests (with consent), keep and detach what
    the law keeps, delete the rest, and confirm by mail to the address it had."""
    # Lock the account: a second click, or the citizen and a clerk at once, close it once.
    locked = User.objects.select_for_update().filter(pk=account.pk).first()
    if locked is None:
        raise ClosureRefused(_("Ce compte est déjà fermé."))
    refusal = closure_refusal(locked)
    if refusal:
        raise ClosureRefused(refusal)
    running = list(open_requests(locked))
    if running and not cancel_open_requests:
        raise ClosureRefused(
            _("Des demandes sont en cours : acceptez leur annulation pour fermer le compte.")
        )
    actor = None if by.pk == locked.pk else by
    for request in running:
        procedures.request_withdraw(citizen_request=request, by=actor or locked)
    email, name, identifier = locked.email, locked.get_full_name(), locked.identifier
    appointments = upcoming_for_closure(locked)
    report = account_shred(account=locked)
    message_queue(
        kind=MessageKind.INFORMATION,
        template="account_closed",
        context={
            "name": name,
            "identifier": identifier,
            "at_front_desk": actor is not None,
            "cancelled": [f"{r.number} — {r.procedure.title}" for r in running],
            "cancelled_appointments": appointments,
            "kept": kept_after_closure(),
        },
        to_email=email,
        topic=ACCOUNT_CLOSED,
    )
    log.info("account closed%s", " at the front desk" if actor else "")
    return report
