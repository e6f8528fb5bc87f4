"""Accounts linked before ``User.identity_certified_at`` existed are certified since
their link was made."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def certify_linked_accounts(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    FranceConnectLink = apps.get_model("franceconnect", "FranceConnectLink")
    linked_at = FranceConnectLink.objects.filter(account=OuterRef("pk")).values("linked_at")
    User.objects.filter(franceconnect_link__isnull=False).update(
        identity_certified_at=Subquery(linked_at[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("franceconnect", "0001_initial"),
        ("accounts", "0005_identity_certified_at"),
    ]

    operations = [migrations.RunPython(certify_linked_accounts, migrations.RunPython.noop)]
