"""Signals other apps listen to, so that accounts never imports them."""

from django.dispatch import Signal

# Sent inside the registration transaction, with ``account``: the household app
# creates the household and its first adult from it.
account_registered = Signal()

# Sent inside account_update's transaction, with ``account``, ``changes`` ({field:
# {old, new}}) and ``event_id`` (the AccountEvent): the citizen gets an acknowledgement.
account_updated = Signal()

# Sent inside password_change's transaction, with ``account``: the citizen is told by mail.
password_changed = Signal()

# Sent when staff change an account's identity or contact in the admin, inside its
# transaction, with ``account`` and ``by``: the household app copies the change onto
# the holder member, as it does after the citizen's own « Modifier ».
account_edited_by_staff = Signal()
