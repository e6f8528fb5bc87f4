"""Messages waiting in the outbox named their attachment's builder by a dotted path;
they now name it by the short name its app registers (notifications.attachments)."""

from django.db import migrations

RENAMED = {"payments.pdf.receipt_attachment": "payment-receipt"}


def to_names(apps, schema_editor):
    message_model = apps.get_model("notifications", "Message")
    for path, name in RENAMED.items():
        message_model.objects.filter(attachment_builder=path).update(attachment_builder=name)


def to_paths(apps, schema_editor):
    message_model = apps.get_model("notifications", "Message")
    for path, name in RENAMED.items():
        message_model.objects.filter(attachment_builder=name).update(attachment_builder=path)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(to_names, to_paths)]
