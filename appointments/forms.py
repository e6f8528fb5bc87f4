"""The citizen's booking form: who comes, the pre-application numbers of an identity
appointment, and the « Cryptogramme » without an account."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import ContactFieldsMixin
from appointments.ants.checks import NUMBER_RE, normalize
from appointments.models import MAX_PEOPLE, Agenda
from common.captcha import CaptchaRenewalMixin, captcha_field
from common.validators import clean_last_name, clean_name

PEOPLE_CHOICES = [(n, str(n)) for n in range(1, MAX_PEOPLE + 1)]


def number_field(index: int) -> forms.CharField:
    return forms.CharField(
        label=_("Numéro de pré-demande de la personne %(n)s") % {"n": index},
        max_length=14,
        help_text=_(
            "10 caractères, lettres et chiffres, reçus à la fin de la pré-demande sur "
            "ants.gouv.fr. Exemple : 1A2B3C4D5E"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class BookingForm(CaptchaRenewalMixin, ContactFieldsMixin, forms.Form):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_(
            "La confirmation et le lien pour annuler ou déplacer le rendez-vous y sont "
            "envoyés. Exemple : nom@domaine.fr"
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        help_text=_("Pour vous prévenir d'un imprévu. Exemple : 06 12 34 56 78"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, agenda: Agenda, people: int, anonymous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda = agenda
        self.people = people
        if agenda.is_identity:
            for index in range(1, people + 1):
                self.fields[f"application_{index}"] = number_field(index)
        if anonymous:
            self.fields["captcha"] = captcha_field()

    @property
    def contact_fields(self):
        return [self[name] for name in ("first_name", "last_name", "email", "phone")]

    @property
    def application_fields(self):
        return [self[name] for name in self.fields if name.startswith("application_")]

    def clean_first_name(self):
        return clean_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return clean_last_name(
            self.cleaned_data["last_name"], max_length=self.fields["last_name"].max_length
        )

    def clean_phone(self):
        if not self.cleaned_data["phone"].strip():
            return ""
        return super().clean_phone()

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for name in [f"application_{index}" for index in range(1, self.people + 1)]:
            if name not in self.fields or not cleaned.get(name):
                continue
            number = normalize(cleaned[name])
            if not NUMBER_RE.match(number):
                self.add_error(
                    name,
                    _("Un numéro de pré-demande compte 10 caractères, lettres et chiffres."),
                )
                continue
            if number in seen:
                self.add_error(name, _("Ce numéro est déjà indiqué pour une autre personne."))
                continue
            seen[number] = name
            cleaned[name] = number
        return cleaned

    def applications(self) -> list[str]:
        return [self.cleaned_data[field.name] for field in self.application_fields]

    def application_field_of(self, number: str) -> str:
        for field in self.application_fields:
            if self.cleaned_data.get(field.name) == number:
                return field.name
        return None


class PeopleForm(forms.Form):
    personnes = forms.TypedChoiceField(
        label=_("Nombre de personnes qui déposent un dossier"),
        choices=PEOPLE_CHOICES,
        coerce=int,
        initial=1,
        help_text=_("Chaque personne, enfant compris, a son numéro de pré-demande."),
    )


class LostLinkForm(CaptchaRenewalMixin, forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique donnée à la réservation"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    captcha = captcha_field()


class CancelForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme l'annulation de ce rendez-vous"),
    )
