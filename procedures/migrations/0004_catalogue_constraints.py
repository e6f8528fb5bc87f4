"""The catalogue's rules that the database can hold, stated in the admin's forms before.

Procedures and fields entered through the admin already follow them; a choice field
without choices could only come from outside the admin, and would stop this migration
(such a form could never be sent: correct the field, then migrate).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0003_fill_certificate"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='procedure',
            constraint=models.CheckConstraint(condition=models.Q(('certificate', ''), ('kind', 'civil_status'), _connector='OR'), name='procedures_certificate_only_for_civil_status', violation_error_message="Seule une demande d'acte d'état civil nomme un registre : laissez-le vide."),
        ),
        migrations.AddConstraint(
            model_name='procedure',
            constraint=models.CheckConstraint(condition=models.Q(('account_required', True), models.Q(('concerns', 'nobody'), ('kind', 'civil_status')), _connector='OR'), name='procedures_without_account_only_certificates_for_nobody', violation_error_message="Seules les demandes d'actes d'état civil, qui ne concernent personne du foyer, sont possibles sans compte."),
        ),
        migrations.AddConstraint(
            model_name='procedurefield',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['choice', 'multiple_choice']), _negated=True), ('choices__regex', '\\S'), _connector='OR'), name='procedures_field_choices_given', violation_error_message='Un champ à choix a besoin de ses choix : écrivez-en un par ligne.'),
        ),
    ]
