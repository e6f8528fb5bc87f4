"""Forms of the account pages; every message is French and sits beside its field."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Civility, SecurityQuestion, User
from common.captcha import CaptchaRenewalMixin, captcha_field
from common.validators import (
    clean_last_name,
    clean_name,
    is_of_age,
    validate_birth_date,
    validate_phone,
    validate_postal_code,
)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Utilisateur"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Vérifiez l'identifiant reçu par mail "
            "et les majuscules de votre mot de passe."
        ),
        "inactive": _("Ce compte est désactivé. Contactez la mairie."),
    }


class ContactFieldsMixin:
    """Phone and postal code, cleaned alike on every form where a citizen types them
    (registration, FranceConnect's first visit, « Compte »): the rules are
    common.validators'; a form without one of the fields simply never calls its method."""

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        validate_phone(phone)
        return phone

    def clean_postal_code(self) -> str:
        code = self.cleaned_data["postal_code"].strip()
        validate_postal_code(code)
        return code


class PasswordPairMixin:
    """Two password fields that must match and follow the policy."""

    password_mismatch = _("Les deux mots de passe ne sont pas identiques.")

    def check_password_pair(self, user: User) -> None:
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error("password2", self.password_mismatch)
            return
        if first:
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)


def password_fields():
    return (
        forms.CharField(
            label=_("Mot de passe"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_(
                "Au moins 12 caractères, avec une minuscule, une majuscule, un chiffre "
                "et un caractère spécial."
            ),
        ),
        forms.CharField(
            label=_("Confirmation du mot de passe"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class RegistrationForm(CaptchaRenewalMixin, ContactFieldsMixin, PasswordPairMixin, forms.ModelForm):
    civility = forms.ChoiceField(
        label=_("Civilité"), choices=Civility.choices, widget=forms.RadioSelect
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        help_text=_("Format : jj/mm/aaaa"),
    )
    security_question = forms.ChoiceField(
        label=_("Question de sécurité"),
        choices=[("", _("Choisissez une question"))] + SecurityQuestion.choices,
        help_text=_("Elle vous sera posée si vous perdez votre mot de passe."),
    )
    security_answer = forms.CharField(
        label=_("Réponse à la question de sécurité"),
        max_length=100,
        help_text=_("Les majuscules et les accents ne comptent pas."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password1, password2 = password_fields()
    captcha = captcha_field()

    class Meta:
        model = User
        fields = [
            "civility",
            "last_name",
            "first_name",
            "birth_date",
            "email",
            "phone",
            "address",
            "postal_code",
            "city",
        ]
        labels = {
            "last_name": _("Nom"),
            "first_name": _("Prénom"),
            "email": _("Adresse électronique"),
            "phone": _("Téléphone"),
            "address": _("Adresse (numéro et voie)"),
            "postal_code": _("Code postal"),
            "city": _("Commune"),
        }
        help_texts = {
            "email": _(
                "Votre identifiant vous sera envoyé à cette adresse. Exemple : nom@domaine.fr"
            ),
            "phone": _("Exemple : 06 12 34 56 78"),
        }
        widgets = {
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
            ),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True

    def clean_last_name(self):
        return clean_last_name(
            self.cleaned_data["last_name"], max_length=self.fields["last_name"].max_length
        )

    def clean_first_name(self):
        return clean_name(self.cleaned_data["first_name"])

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        validate_birth_date(born, today)
        if not is_of_age(born, today):
            raise forms.ValidationError(
                _("Il faut être majeur pour créer un compte ; un enfant est ajouté à votre foyer.")
            )
        return born

    def clean(self):
        cleaned = super().clean()
        candidate = User(
            last_name=cleaned.get("last_name", ""),
            first_name=cleaned.get("first_name", ""),
            email=cleaned.get("email", ""),
        )
        self.check_password_pair(candidate)
        return cleaned


class IdentifierForm(forms.Form):
    identifier = forms.CharField(
        label=_("Utilisateur"),
        max_length=32,
        help_text=_("L'identifiant reçu par mail lors de la création de votre compte."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class SecurityAnswerForm(forms.Form):
    identifier = forms.CharField(max_length=32, widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Votre réponse"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ForcedPasswordChangeForm(PasswordPairMixin, forms.Form):
    """After a temporary password: the citizen proved who they are, no old password asked."""

    password1, password2 = password_fields()

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Nouveau mot de passe")
        self.fields["password2"].label = _("Confirmation du nouveau mot de passe")

    def clean(self):
        cleaned = super().clean()
        self.check_password_pair(self.user)
        return cleaned


class PasswordChangeForm(ForcedPasswordChangeForm):
    old_password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "password1", "password2"]

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(_("Le mot de passe actuel est incorrect."))
        return old
