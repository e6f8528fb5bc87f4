"""Reads shared by the household views, with their joins in place."""

from django.db.models import Q, QuerySet

from accounts.models import User
from households.models import Household, Member, Relationship


def members_for_account(*, account: User) -> QuerySet[Member]:
    """The only door to a member from a citizen view: another household's id is a 404."""
    return Member.objects.filter(household__account=account)


def by_category(members: list[Member]) -> tuple[list[Member], list[Member]]:
    """(adults, children), in the order given (the holder first)."""
    adults = [member for member in members if member.is_adult]
    children = [member for member in members if not member.is_adult]
    return adults, children


# The back office (see backoffice.roles). The front desk reads every household; a
# service reads only the households and people that the requests of its themes
# concern. Requests are reached by their reverse relations ("requests"), so that
# this app never imports the procedures app, which depends on it.


def sees_every_household(user: User) -> bool:
    return user.is_superuser or user.has_perm("households.view_every_household")


def in_clerks_requests(user: User, path: str) -> Q:
    """ "A sent request that one of the user's groups handles": routed to it
    (``service_group``, procedures.routing), or not routed and of a theme it handles."""
    groups = user.groups.all()
    return Q(**{f"{path}__submitted_at__isnull": False}) & (
        Q(**{f"{path}__service_group__in": groups})
        | Q(**{f"{path}__service_group": None, f"{path}__procedure__theme__groups__in": groups})
    )


def households_for_staff(user: User, queryset: QuerySet[Household]) -> QuerySet[Household]:
    if sees_every_household(user):
        return queryset
    concerned = Household.objects.filter(in_clerks_requests(user, "account__requests"))
    return queryset.filter(pk__in=concerned.values("pk"))


def members_for_staff(user: User, queryset: QuerySet[Member]) -> QuerySet[Member]:
    """Each request's applicant (the holder) and the person it is about; nobody else."""
    if sees_every_household(user):
        return queryset
    concerned = Member.objects.filter(
        in_clerks_requests(user, "requests")
        | (
            Q(relationship=Relationship.HOLDER)
            & in_clerks_requests(user, "household__account__requests")
        )
    )
    return queryset.filter(pk__in=concerned.values("pk"))
