"""The clerks' roles: each group of the back office and the permissions its work needs.

A role is a Django group created by a data migration (``0002_roles``). Nobody
outside the superusers manages staff accounts, groups or permissions: no role
below holds a permission on them, and the user admin refuses those fields to
everyone else (``accounts.admin``). The README's matrix says the same in words.

Service groups see the requests of the catalogue's themes they are linked to
(``Theme.groups``, set by a superuser) and, of the households, only the
people those requests concern.
"""

from dataclasses import dataclass

CATALOGUE_MODELS = ("theme", "procedure", "procedurefield", "documentrequirement")
# The catalogue's rows added by issue 24 (pages, blocks, conditions, the street
# register): granted by procedures' migration 0007, younger than 0002_roles.
CATALOGUE_FORM_MODELS = ("procedurepage", "fieldblock", "condition", "street")
# Filling a request for a citizen at the counter or on the phone (procedures.counter).
COUNTER_PERMISSION = "procedures.enter_request"
# A procedure's steps and decision documents (issue 25): edited with the catalogue, their
# permissions granted by their own migration (procedures 0009).
PROCESSING_MODELS = ("procedurestep", "decisiontemplate")


def crud(app_label: str, *models: str) -> tuple[str, ...]:
    return tuple(
        f"{app_label}.{action}_{model}"
        for model in models
        for action in ("view", "add", "change", "delete")
    )


@dataclass(frozen=True)
class Role:
    name: str
    permissions: tuple[str, ...]
    # The slugs of the demo catalogue's themes a service handles (seed_demo links them).
    themes: tuple[str, ...] = ()


FRONT_DESK = Role(
    "Accueil",
    (
        "accounts.view_user",
        "accounts.change_user",  # Contact data only: accounts.admin limits the form.
        "accounts.validate_account",
        "accounts.view_accountevent",
        "households.view_household",
        "households.view_every_household",
        "households.view_member",
        "households.view_householdevent",
        "notifications.view_message",
        "notifications.change_message",  # « Renvoyer » a failed message.
        "privacy.close_account",  # For a citizen who asks at the counter (privacy.admin).
        COUNTER_PERMISSION,  # Any procedure, for a citizen at the counter or on the phone.
    ),
)

# The bookings of the agendas linked to the service's groups (Agenda.groups): read them,
# mark « Présent » / « Absent », cancel with a message, book for a citizen.
APPOINTMENT_PERMISSIONS = (
    "appointments.view_agenda",
    "appointments.view_booking",
    "appointments.add_booking",
    "appointments.change_booking",
)

SERVICE_PERMISSIONS = (
    *APPOINTMENT_PERMISSIONS,
    "procedures.view_request",
    "procedures.change_request",  # The transitions and « Information » messages.
    "procedures.view_requestevent",
    "households.view_household",  # Only the households and people its requests concern.
    "households.view_member",
    COUNTER_PERMISSION,  # The procedures of its own themes only (procedures.counter).
)

SERVICES = (
    Role("Service État civil", SERVICE_PERMISSIONS, ("etat-civil", "citoyennete")),
    Role("Service Scolaire et périscolaire", SERVICE_PERMISSIONS, ("scolaire-et-periscolaire",)),
    Role("Service Environnement", SERVICE_PERMISSIONS, ("environnement",)),
    Role("Service Voirie", SERVICE_PERMISSIONS, ("voirie-et-espace-public",)),
    Role(
        "Service Vie associative, sport et culture",
        SERVICE_PERMISSIONS,
        ("vie-associative-et-salles", "sport-et-culture"),
    ),
)

# « Administration fonctionnelle » defines places and agendas, never reads bookings.
AGENDA_DEFINITION = crud("appointments", "place", "agenda", "openinghours", "closure")

BILLING = Role(
    "Régie",
    (
        "payments.view_invoice",
        "payments.add_invoice",
        "payments.change_invoice",
        "payments.view_invoiceevent",
        "payments.view_payment",
        "payments.view_paymentline",
        "payments.view_paymentevent",
        "payments.view_providerevent",
    ),
)

FUNCTIONAL_ADMIN = Role(
    "Administration fonctionnelle",
    (
        *crud("procedures", *CATALOGUE_MODELS),
        *crud("procedures", *CATALOGUE_FORM_MODELS),
        *crud("procedures", *PROCESSING_MODELS),
        *crud("notifications", "messagetemplate"),
        *AGENDA_DEFINITION,
    ),
)

ROLES = (FRONT_DESK, *SERVICES, BILLING, FUNCTIONAL_ADMIN)

# Permissions of models younger than ``0002_roles``: each is granted by its own data
# migration (privacy 0002), and 0002_roles, which may run before that model exists on a
# fresh database, leaves them out.
ADDED_BY_LATER_MIGRATIONS = frozenset(
    {
        "privacy.close_account",
        *APPOINTMENT_PERMISSIONS,
        *AGENDA_DEFINITION,
        *crud("procedures", *CATALOGUE_FORM_MODELS),
        COUNTER_PERMISSION,
        *crud("procedures", *PROCESSING_MODELS),
    }
)


def roles_sync(*, group_model, permission_model, leave_out=frozenset()) -> None:
    """Create each role's group with exactly its permissions.

    Takes the models as arguments so that a migration can pass its historical ones.
    A permission that does not exist is an error: a typo must not silently grant less.
    ``leave_out``: the permissions a migration cannot grant yet (ADDED_BY_LATER_MIGRATIONS).
    """
    for role in ROLES:
        wanted = set(role.permissions) - set(leave_out)
        found = {
            f"{permission.content_type.app_label}.{permission.codename}": permission
            for permission in permission_model.objects.select_related("content_type").filter(
                codename__in=[name.split(".")[1] for name in wanted]
            )
        }
        missing = wanted - set(found)
        if missing:
            raise LookupError(f"Permissions introuvables pour « {role.name} » : {sorted(missing)}")
        group, _ = group_model.objects.get_or_create(name=role.name)
        group.permissions.set([found[name] for name in wanted])
