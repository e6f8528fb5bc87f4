"""Which régies a clerk of the « Régie » role works for: a clerk named in some régies'
« agents » (``RegieClerk``) sees only their invoices, payments and notifications; one
named in none sees every régie (a town with one treasurer); superusers see all.
"""

from django.db.models import Q, QuerySet

from payments.models import RegieClerk


def regie_ids_of(user) -> list[int] | None:
    """The régies the user is limited to; None when he is not limited."""
    if user.is_superuser:
        return None
    ids = list(RegieClerk.objects.filter(user=user).values_list("regie_id", flat=True))
    return ids or None


def within_regies(queryset: QuerySet, user, *, path: str = "regie") -> QuerySet:
    """``queryset`` restricted to the user's régies through ``path`` (the régie's field)."""
    ids = regie_ids_of(user)
    if ids is None:
        return queryset
    return queryset.filter(Q(**{f"{path}__in": ids}))
