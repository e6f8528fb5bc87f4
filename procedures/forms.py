"""The citizen's reply to a clerk's request for information.

The forms of the procedures themselves are built from their definition, page by page
(``procedures.catalogue.page_form``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from procedures.catalogue.kinds import UploadField
from procedures.uploads import ALLOWED_HELP


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Votre réponse au service"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    document = UploadField(label=_("Document demandé"), required=False, help_text=ALLOWED_HELP)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("message", "").strip() and not cleaned.get("document"):
            raise ValidationError(_("Écrivez un message ou joignez un document."))
        return cleaned
