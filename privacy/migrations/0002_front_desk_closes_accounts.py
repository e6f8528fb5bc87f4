"""The « Accueil » role closes accounts for citizens who ask at the counter
(``privacy.close_account``, added to ``backoffice.roles.FRONT_DESK``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Accueil"
CODENAME = "close_account"


def grant(apps, schema_editor):
    # Permissions are normally created after every migration; the group needs this one now.
    app_config = apps.get_app_config("privacy")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="privacy", codename=CODENAME)
    group, _ = Group.objects.get_or_create(name=ROLE)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ROLE).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="privacy", codename=CODENAME)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("backoffice", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
