"""« Administration fonctionnelle » edits the pages, blocks, conditions and street
register of the catalogue; « Accueil » and the services fill requests at the counter
(``backoffice.roles``: CATALOGUE_FORM_MODELS, COUNTER_PERMISSION)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from backoffice.roles import CATALOGUE_FORM_MODELS, COUNTER_PERMISSION, FRONT_DESK, FUNCTIONAL_ADMIN, SERVICES

CATALOGUE_CODENAMES = [
    f"{action}_{model}" for model in CATALOGUE_FORM_MODELS for action in ("view", "add", "change", "delete")
]
COUNTER_CODENAME = COUNTER_PERMISSION.split(".")[1]


def grants():
    yield FUNCTIONAL_ADMIN.name, CATALOGUE_CODENAMES
    for role in (FRONT_DESK, *SERVICES):
        yield role.name, [COUNTER_CODENAME]


def grant(apps, schema_editor):
    # Permissions are normally created after every migration; the groups need these now.
    app_config = apps.get_app_config("procedures")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="procedures", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="procedures", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0006_catalogue_pages_conditions_blocks_streets"),
        ("backoffice", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
