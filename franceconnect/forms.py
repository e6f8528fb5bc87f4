"""The completion page's form: only what FranceConnect does not give."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import (
    ContactFieldsMixin,
    PasswordPairMixin,
    RegistrationForm,
    password_fields,
)
from accounts.models import User

CONTACT_FIELDS = ("phone", "address", "postal_code", "city")


class CompletionForm(ContactFieldsMixin, PasswordPairMixin, forms.Form):
    """Address and phone; a portal password (with its security question) only if wanted."""

    phone = RegistrationForm.base_fields["phone"]
    address = RegistrationForm.base_fields["address"]
    postal_code = RegistrationForm.base_fields["postal_code"]
    city = RegistrationForm.base_fields["city"]
    wants_password = forms.BooleanField(
        label=_("Je souhaite aussi un mot de passe pour me connecter sans FranceConnect"),
        required=False,
    )
    security_question = RegistrationForm.base_fields["security_question"]
    security_answer = RegistrationForm.base_fields["security_answer"]
    password1, password2 = password_fields()

    PASSWORD_FIELDS = ("security_question", "security_answer", "password1", "password2")

    def __init__(self, *args, identity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.identity = identity
        for name in CONTACT_FIELDS:
            self.fields[name].required = True
        for name in self.PASSWORD_FIELDS:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("wants_password"):
            # Nothing of the optional part is kept when the box is not ticked.
            for name in self.PASSWORD_FIELDS:
                cleaned[name] = ""
            return cleaned
        messages = {
            "security_question": _("Choisissez une question de sécurité."),
            "security_answer": _("Saisissez la réponse à la question de sécurité."),
            "password1": _("Saisissez un mot de passe."),
            "password2": _("Confirmez le mot de passe."),
        }
        for name, message in messages.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        identity = self.identity
        candidate = User(
            last_name=identity.family_name if identity else "",
            first_name=identity.given_name if identity else "",
            email=identity.email if identity else "",
        )
        self.check_password_pair(candidate)
        return cleaned
