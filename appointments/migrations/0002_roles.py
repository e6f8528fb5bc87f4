"""The roles' permissions on appointments (backoffice.roles): the services handle the
bookings of their agendas, « Administration fonctionnelle » defines places and agendas."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from backoffice.roles import AGENDA_DEFINITION, APPOINTMENT_PERMISSIONS, ROLES

GRANTED = frozenset({*APPOINTMENT_PERMISSIONS, *AGENDA_DEFINITION})


def codenames(names):
    return [name.split(".")[1] for name in names]


def grant(apps, schema_editor):
    # Permissions are normally created after every migration; the groups need them now.
    app_config = apps.get_app_config("appointments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        wanted = GRANTED.intersection(role.permissions)
        if not wanted:
            continue
        group, _ = Group.objects.get_or_create(name=role.name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="appointments", codename__in=codenames(wanted)
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="appointments", codename__in=codenames(GRANTED)
    )
    for group in Group.objects.filter(name__in=[role.name for role in ROLES]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_appointments"),
        ("backoffice", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
