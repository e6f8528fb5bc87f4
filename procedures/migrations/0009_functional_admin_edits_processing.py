"""« Administration fonctionnelle » edits a procedure's steps and decision documents
(``backoffice.roles.PROCESSING_MODELS``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Administration fonctionnelle"
MODELS = ("procedurestep", "decisiontemplate")
CODENAMES = [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")]


def grant(apps, schema_editor):
    # Permissions are normally created after every migration; the group needs these now.
    app_config = apps.get_app_config("procedures")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="procedures", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ROLE).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="procedures", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0008_decisions_deadlines_routing"),
        ("backoffice", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
