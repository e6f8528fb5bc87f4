"""Reads shared by the household views, with their joins in place."""

from django.db.models import QuerySet

from accounts.models import User
from households.models import Household, Member


def members_for_account(*, account: User) -> QuerySet[Member]:
    """The only door to a member from a citizen view: another household's id is a 404."""
    return Member.objects.filter(household__account=account)


def members_by_category(*, household: Household) -> tuple[list[Member], list[Member]]:
    """(adults, children), the holder first: one query whatever the size of the household."""
    members = list(household.members.holder_first())
    adults = [member for member in members if member.is_adult]
    children = [member for member in members if not member.is_adult]
    return adults, children
