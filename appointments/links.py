"""« Lien perdu » : the management links mailed again, under new tokens.

A token is stored hashed, so a lost link cannot be shown again: a new one replaces it
(the old link stops working) and the pending reminder is rewritten with it.
"""

from django.db import transaction
from django.utils import timezone

from appointments import notify
from appointments.models import Booking
from appointments.tokens import new_token, token_hash


@transaction.atomic
def links_resend(*, email: str) -> int:
    bookings = list(
        Booking.objects.select_for_update()
        .filter(email__iexact=email, state=Booking.State.BOOKED, starts_at__gte=timezone.now())
        .select_related("agenda__place")
    )
    for booking in bookings:
        token = new_token()
        booking.token_hash = token_hash(token)
        booking.save(update_fields=["token_hash"])
        notify.booking_link(booking, token=token)
    return len(bookings)
