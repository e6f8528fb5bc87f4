"""Reads of the staff login shared by its views."""

from django.db.models import QuerySet

from accounts.models import User


def staff_accounts_with_email(email: str) -> QuerySet[User]:
    """The active staff accounts of a work email, superusers included (the caller refuses
    them with their own message); a citizen's account is never among them."""
    return User.objects.filter(email__iexact=email, is_staff=True, is_active=True).select_related(
        "directory_link"
    )
