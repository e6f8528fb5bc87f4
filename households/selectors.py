"""Reads shared by the household views, with their joins in place."""

from django.db.models import QuerySet

from accounts.models import User
from households.models import Member


def members_for_account(*, account: User) -> QuerySet[Member]:
    """The only door to a member from a citizen view: another household's id is a 404."""
    return Member.objects.filter(household__account=account)


def by_category(members: list[Member]) -> tuple[list[Member], list[Member]]:
    """(adults, children), in the order given (the holder first)."""
    adults = [member for member in members if member.is_adult]
    children = [member for member in members if not member.is_adult]
    return adults, children
