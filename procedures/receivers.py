"""Procedures' answers to other apps' signals."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from households.signals import member_removal_check
from procedures.models import Request


@receiver(member_removal_check)
def refuse_removal_while_a_request_is_open(sender, member, **kwargs):
    if Request.objects.open().filter(member=member).exists():
        return _(
            "Une demande en cours concerne cette personne : elle pourra être retirée du foyer "
            "une fois la demande terminée."
        )
    return None
