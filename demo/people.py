"""Demo people for `manage.py seed_demo`. Their passwords are for demonstrations only."""

from base64 import b32encode
from datetime import date, timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import AccountStatus, Civility, SecurityQuestion, User
from backoffice.roles import roles_sync

# The demo staff: one account per role of backoffice.roles, and a superuser.
DEMO_STAFF = {
    "agent": ("Accueil", "Bruno", "AGENT"),
    "etatcivil": ("Service État civil", "Émilie", "CIVIL"),
    "scolaire": ("Service Scolaire et périscolaire", "Sacha", "ECOLE"),
    # A colleague of the same service: « Attribuer à » has someone to give a request to.
    "cantine": ("Service Scolaire et périscolaire", "Camille", "CANTINE"),
    "environnement": ("Service Environnement", "Éric", "VERT"),
    "regie": ("Régie", "Régine", "CAISSE"),
    "catalogue": ("Administration fonctionnelle", "Florent", "CATALOGUE"),
}
DEMO_PASSWORDS = {
    "admin": "Admin-demo-2026!",
    "demo": "Citoyen-demo-2026!",
    "attente": "Attente-demo-2026!",
    **{identifier: f"{identifier.capitalize()}-demo-2026!" for identifier in DEMO_STAFF},
    # The clerks of two schools (demo.decisions: routing by « École souhaitée »).
    "coquelicots": "Coquelicots-demo-2026!",
    "ferry": "Ferry-demo-2026!",
}
DEMO_SECURITY_ANSWER = "Médor"
# The demo staff's TOTP key, published here on purpose: for trying the second factor
# (STAFF_TWO_FACTOR=1) on the demo only. Base32 of the 20 bytes "votre-espace-citoyen".
DEMO_TOTP_KEY = b"votre-espace-citoyen"
DEMO_TOTP_KEY_BASE32 = b32encode(DEMO_TOTP_KEY).decode()
# A group of the demo's first versions, with rights no role has any more.
LEGACY_DEMO_GROUP = "Agents d'accueil"


def demo_staff() -> list[User]:
    Group.objects.filter(name=LEGACY_DEMO_GROUP).delete()
    roles_sync(group_model=Group, permission_model=Permission)  # Back as the migration made them.
    staff = []
    for identifier, (role, first_name, last_name) in DEMO_STAFF.items():
        user = upsert(
            identifier,
            is_staff=True,
            is_superuser=False,
            first_name=first_name,
            last_name=last_name,
            email=f"{identifier}@mairie.example",
        )
        user.groups.set(Group.objects.filter(name=role))
        staff.append(user)
    return staff


def demo_totp_device(user: User) -> None:
    TOTPDevice.objects.update_or_create(
        user=user,
        name="Démonstration",
        defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True},
    )


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
    staff = demo_staff()
    for user in (admin, *staff):
        demo_totp_device(user)
    agent = staff[0]
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
        *[
            (
                f"agent « {DEMO_STAFF[user.identifier][0]} »",
                user.identifier,
                DEMO_PASSWORDS[user.identifier],
            )
            for user in staff
        ],
        ("citoyen validé", demo.identifier, DEMO_PASSWORDS["demo"]),
        ("citoyen en attente de validation", pending.identifier, DEMO_PASSWORDS["attente"]),
    ]
