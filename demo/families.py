"""Demo households for `manage.py seed_demo`, after demo.people.seed(); safe to run again."""

from datetime import date

from django.utils import timezone

from accounts.models import User
from households import services
from households.models import Category, Household, Relationship, Sex


def years_ago(years: int, month: int, day: int) -> date:
    """A birthday this many years back, so that the demo children stay of school age."""
    return date(timezone.localdate().year - years, month, day)


def demo_members() -> list[dict]:
    return [
        {
            "category": Category.ADULT,
            "relationship": Relationship.SPOUSE,
            "sex": Sex.MALE,
            "last_name": "MARTIN",
            "first_names": "Thomas Pierre",
            "birth_date": date(1983, 9, 21),
            "birth_place": "Lyon",
            "email": "thomas.martin@example.org",
            "phone": "06 98 76 54 32",
            "profession": "Infirmier",
        },
        {
            "category": Category.CHILD,
            "relationship": Relationship.CHILD,
            "sex": Sex.FEMALE,
            "last_name": "MARTIN",
            "first_names": "Léa Juliette",
            "birth_date": years_ago(11, 1, 14),
            "birth_place": "Villeneuve-sur-Example",
            "school": "École élémentaire Jules-Ferry",
            "school_class": "CM2",
        },
        {
            "category": Category.CHILD,
            "relationship": Relationship.CHILD,
            "sex": Sex.MALE,
            "last_name": "MARTIN",
            "first_names": "Hugo",
            "birth_date": years_ago(7, 2, 3),
            "birth_place": "Villeneuve-sur-Example",
            "school": "École élémentaire Jules-Ferry",
            "school_class": "CE1",
        },
    ]


def household_of(account: User) -> Household:
    household = services.household_get_or_create(account=account, by=account)
    services.holder_sync(household=household, by=account)
    return household


def seed_family(*, account: User) -> Household:
    """A spouse and two school children beside the holder; who is already there stays.

    Added by nobody (``by=None``): seeding is not a citizen operation, so no mail.
    """
    household = household_of(account)
    declared = set(household.members.values_list("first_names", flat=True))
    for member in demo_members():
        if member["first_names"] not in declared:
            services.member_add(household=household, by=None, **member)
    return household


def seed() -> None:
    """Camille MARTIN's family of four (« demo »), and the holder alone for « attente »."""
    seed_family(account=User.objects.get(identifier="demo"))
    household_of(User.objects.get(identifier="attente"))
