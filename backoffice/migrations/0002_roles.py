"""The clerks' roles (``backoffice.roles``) as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from backoffice.roles import ADDED_BY_LATER_MIGRATIONS, roles_sync


def create_roles(apps, schema_editor):
    # Permissions are normally created after every migration; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
        leave_out=ADDED_BY_LATER_MIGRATIONS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
        ("households", "0002_every_household_permission"),
        ("procedures", "0001_initial"),
        ("payments", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
