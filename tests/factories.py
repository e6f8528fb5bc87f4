"""Factories shared by every test."""

from datetime import date

import factory
from django.contrib.auth.models import Group, Permission

from accounts.models import AccountStatus, Civility, SecurityQuestion, User
from backoffice.roles import roles_sync

PASSWORD = "Un-mot-de-passe-2026!"
ANSWER = "Médor"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    identifier = factory.Sequence(lambda n: f"cit{n:05d}")
    civility = Civility.MADAME
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"MARTIN{'ABCDEFGHJK'[n % 10]}")
    birth_date = date(1985, 4, 12)
    email = factory.LazyAttribute(lambda u: f"{u.identifier}@example.org")
    phone = "06 12 34 56 78"
    address = "12 rue des Écoles"
    postal_code = "99999"
    city = "Villeneuve-sur-Example"
    security_question = SecurityQuestion.FIRST_PET
    status = AccountStatus.VALIDATED

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        obj.set_security_answer(ANSWER)
        if create:
            obj.save(update_fields=["password", "security_answer"])


class PendingUserFactory(UserFactory):
    status = AccountStatus.PENDING


class ClerkFactory(UserFactory):
    identifier = factory.Sequence(lambda n: f"agent{n:03d}")
    is_staff = True
    security_question = ""


def role_group(name: str) -> Group:
    """The group of a role of backoffice.roles. The migration creates them, but a
    transactional test's flush empties the table: then they are made again."""
    if not Group.objects.filter(name=name).exists():
        roles_sync(group_model=Group, permission_model=Permission)
    return Group.objects.get(name=name)


OTHER_SERVICE = "Service Voirie"


def clerk_of_another_service() -> User:
    """The persona « a clerk of another service »: Victor, staff of « Service Voirie ».

    He holds a service's real rights (he processes requests, opens documents and PDFs),
    but his group handles no theme a test creates: every request, document, PDF or
    household of another service answers 404 to him and is never listed. Tests use
    him to show that a service's scope, not a permission, keeps him out.
    """
    user = ClerkFactory(first_name="Victor", last_name="VOIRIE")
    user.groups.add(role_group(OTHER_SERVICE))
    return user
