"""Signals other apps listen to, so that accounts never imports them."""

from django.dispatch import Signal

# Sent inside the registration transaction, with ``account``: the household app
# creates the household and its first adult from it.
account_registered = Signal()

# Sent inside the transaction of a change of the account's data (by the citizen or a
# clerk), with ``account``, ``changes`` ({field: {old, new}}), ``event_id`` (the
# AccountEvent) and ``by``: the citizen gets an acknowledgement, and the old address
# a notice when the email changed.
account_updated = Signal()

# Sent inside password_change's transaction, with ``account``: the citizen is told by mail.
password_changed = Signal()

# Sent when staff change an account's identity or contact in the admin, inside its
# transaction, with ``account`` and ``by``: the household app copies the change onto
# the holder member, as it does after the citizen's own « Modifier ».
account_edited_by_staff = Signal()

# Sent inside email_change_request's transaction, with ``account``, ``change`` (an
# EmailChange) and the two links' tokens in clear (``confirm_token``, ``cancel_token``):
# the new address gets the link that confirms it, the old one the link that cancels.
email_change_requested = Signal()
