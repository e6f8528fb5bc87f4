"""Fill ``Procedure.certificate`` from the rule that guessed it until now: a word of the slug.

The rule is copied here, frozen, so that the migration keeps working once the code no
longer knows it. A certificate request whose slug names no register keeps an empty
field: as before, it is not offered without an account, until the catalogue's
administrators choose its register in the admin.
"""

from django.db import migrations

# The words of a procedure's address that named its register (« acte-de-deces »).
SLUG_WORDS = {"naissance": "naissance", "mariage": "mariage", "deces": "deces"}
CIVIL_STATUS = "civil_status"


def certificate_from_slug(slug: str) -> str:
    words = slug.lower().split("-")
    for word, certificate in SLUG_WORDS.items():
        if word in words:
            return certificate
    return ""


def fill_certificate(apps, schema_editor):
    procedure_model = apps.get_model("procedures", "Procedure")
    for procedure in procedure_model.objects.filter(kind=CIVIL_STATUS, certificate=""):
        procedure.certificate = certificate_from_slug(procedure.slug)
        if procedure.certificate:
            procedure.save(update_fields=["certificate"])


def empty_certificate(apps, schema_editor):
    apps.get_model("procedures", "Procedure").objects.update(certificate="")


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0002_procedure_certificate"),
    ]

    operations = [
        migrations.RunPython(fill_certificate, empty_certificate),
    ]
