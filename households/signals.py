"""Signals other apps answer, so that households never imports them."""

from django.dispatch import Signal

# Sent before a member leaves the household, with ``member``, inside the removal
# transaction and with the member's row locked. A receiver answers with a short
# French sentence saying why the member cannot leave (« Une demande en cours
# concerne cette personne. »), or None. The procedures app plugs in here.
member_removal_check = Signal()

# Sent inside the transaction of a citizen's change to the household (a member
# added, modified or removed), with ``household``, ``event`` (the HouseholdEvent):
# the notifications app acknowledges it.
household_changed = Signal()
