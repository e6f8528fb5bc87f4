"""Demo people for `manage.py seed_demo`. Their passwords are for demonstrations only."""

from datetime import date, timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts import services
from accounts.models import AccountStatus, Civility, SecurityQuestion, User

CLERKS_GROUP = "Agents d'accueil"
CLERK_PERMISSIONS = ["view_user", "change_user", "validate_account", "view_accountevent"]

DEMO_PASSWORDS = {
    "admin": "Admin-demo-2026!",
    "agent": "Agent-demo-2026!",
    "demo": "Citoyen-demo-2026!",
    "attente": "Attente-demo-2026!",
}
DEMO_SECURITY_ANSWER = "Médor"


def clerks_group() -> Group:
    group, _ = Group.objects.get_or_create(name=CLERKS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=CLERK_PERMISSIONS
        )
    )
    return group


def upsert(identifier: str, *, status=AccountStatus.VALIDATED, **fields) -> User:
    user = User.objects.filter(identifier=identifier).first()
    if user is None:
        user = User(identifier=identifier, status=status, **fields)
    else:
        for name, value in fields.items():
            setattr(user, name, value)
    user.set_password(DEMO_PASSWORDS[identifier])
    user.save()
    return user


def seed() -> list[tuple[str, str, str]]:
    """Create or refresh the demo people; returns (role, identifier, password) to print."""
    admin = upsert("admin", is_staff=True, is_superuser=True, first_name="Alice", last_name="ADMIN")
    agent = upsert(
        "agent", is_staff=True, first_name="Bruno", last_name="AGENT", email="agent@mairie.example"
    )
    agent.groups.add(clerks_group())
    citizen_fields = {
        "civility": Civility.MADAME,
        "security_question": SecurityQuestion.FIRST_PET,
        "phone": "06 12 34 56 78",
        "address": "12 rue des Écoles",
        "postal_code": "99999",
        "city": "Villeneuve-sur-Example",
    }
    demo = upsert(
        "demo",
        status=AccountStatus.PENDING,
        first_name="Camille",
        last_name="MARTIN",
        birth_date=date(1985, 4, 12),
        email="camille.martin@example.org",
        date_joined=timezone.now() - timedelta(days=30),
        **citizen_fields,
    )
    pending = upsert(
        "attente",
        status=AccountStatus.PENDING,
        first_name="Dominique",
        last_name="DURAND",
        birth_date=date(1992, 9, 3),
        email="dominique.durand@example.org",
        **citizen_fields,
    )
    for citizen in (demo, pending):
        citizen.set_security_answer(DEMO_SECURITY_ANSWER)
        citizen.save(update_fields=["security_answer"])
    if demo.is_pending:
        services.account_validate(account=demo, by=agent)
    return [
        ("superutilisateur", admin.identifier, DEMO_PASSWORDS["admin"]),
        ("agent de la mairie", agent.identifier, DEMO_PASSWORDS["agent"]),
        ("citoyen validé", demo.identifier, DEMO_PASSWORDS["demo"]),
        ("citoyen en attente de validation", pending.identifier, DEMO_PASSWORDS["attente"]),
    ]
