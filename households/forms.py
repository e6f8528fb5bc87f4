"""Forms of the « Compte » tab: account data, adults, children; each leads to a review step."""

from collections.abc import Mapping
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from accounts.forms import ContactFieldsMixin, RegistrationForm
from accounts.models import Civility
from common.validators import (
    normalize_spaces,
    validate_name,
)
from households import rules
from households.ages import is_adult
from households.models import (
    CHILD_SEX_LABELS,
    CIVILITY_LABELS,
    NAME_MAX_LENGTH,
    Category,
    Relationship,
    Sex,
)


def date_field(*, autocomplete: str | None = None, **kwargs) -> forms.DateField:
    attrs = {"type": "date"} | ({"autocomplete": autocomplete} if autocomplete else {})
    return forms.DateField(
        widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"),
        help_text=_("Format : jj/mm/aaaa"),
        **kwargs,
    )


def text_field(
    label, *, required=True, max_length=NAME_MAX_LENGTH, autocomplete="off", input_type="text", **kw
):
    # The widget takes ``type`` in its constructor: set in ``attrs`` later, it would be
    # written twice (type="text" … type="tel") and the browser would keep the first.
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "type": input_type}),
        **kw,
    )


class ReviewMixin:
    """What the review step shows: each field's label with its value, old and new."""

    def display(self, name: str, value) -> str:
        field = self.fields[name]
        if value in (None, ""):
            return ""
        if isinstance(value, date):
            return formats.date_format(value, "DATE_FORMAT")
        if isinstance(field, forms.ChoiceField):
            return str(dict(field.choices).get(value, value))
        return str(value)

    def review_rows(self, before: Mapping | None = None) -> list[dict]:
        """Every filled field of a new record, or the changed fields of an existing one."""
        rows = []
        for name in self.fields:
            new = self.cleaned_data.get(name)
            if before is None:
                if new not in (None, ""):
                    rows.append({"label": self.fields[name].label, "new": self.display(name, new)})
            elif (before.get(name) or "") != (new or ""):
                rows.append(
                    {
                        "label": self.fields[name].label,
                        "old": self.display(name, before.get(name)),
                        "new": self.display(name, new),
                    }
                )
        return rows

    def add_service_errors(self, error: ValidationError) -> None:
        """Errors a service found (the same rules, checked again at saving time)."""
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class MemberForm(ReviewMixin, forms.Form):
    """What a town hall needs about everyone; subclasses add the adult or child details."""

    category: Category
    sex_labels: Mapping

    sex = forms.ChoiceField(widget=forms.RadioSelect)
    last_name = text_field(_("Nom"), autocomplete="family-name")
    first_names = text_field(
        _("Prénoms"),
        autocomplete="given-name",
        help_text=_("Tous les prénoms, dans l'ordre de l'acte de naissance."),
    )
    birth_date = date_field(label=_("Date de naissance"))
    birth_place = text_field(
        _("Lieu de naissance"),
        required=False,
        help_text=_("La commune, et le pays si la naissance a eu lieu à l'étranger."),
    )
    relationship = forms.ChoiceField(label=_("Lien avec le titulaire du compte"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [(sex, self.sex_labels[sex]) for sex in Sex.values]
        self.fields["relationship"].choices = [
            ("", _("Choisissez un lien")),
            *((value, Relationship(value).label) for value in rules.RELATIONSHIPS[self.category]),
        ]

    def clean_last_name(self) -> str:
        return self.clean_name_field("last_name").upper()

    def clean_first_names(self) -> str:
        return self.clean_name_field("first_names")

    def clean_name_field(self, name: str) -> str:
        value = normalize_spaces(self.cleaned_data[name])
        validate_name(value)
        return value

    def clean_birth_place(self) -> str:
        return normalize_spaces(self.cleaned_data["birth_place"])

    def clean_birth_date(self) -> date:
        born = self.cleaned_data["birth_date"]
        rules.check_birth_date(born, category=self.category)
        return born


class AdultForm(ContactFieldsMixin, MemberForm):
    category = Category.ADULT
    sex_labels = CIVILITY_LABELS

    email = forms.EmailField(
        label=_("Adresse électronique"),
        required=False,
        help_text=_("Exemple : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = text_field(
        _("Téléphone"),
        required=False,
        max_length=20,
        input_type="tel",
        help_text=_("Exemple : 06 12 34 56 78"),
    )
    profession = text_field(_("Profession"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].label = _("Civilité")


class ChildForm(MemberForm):
    category = Category.CHILD
    sex_labels = CHILD_SEX_LABELS

    school = text_field(_("École"), required=False, help_text=_("Si vous la connaissez."))
    school_class = text_field(
        _("Classe"), required=False, max_length=50, help_text=_("Exemple : CE1, 6e.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].label = _("Sexe")


class HolderForm(ReviewMixin, forms.Form):
    """The holder's sheet: what the account data does not already hold."""

    birth_place = MemberForm.base_fields["birth_place"]
    profession = AdultForm.base_fields["profession"]

    def clean_birth_place(self) -> str:
        return normalize_spaces(self.cleaned_data["birth_place"])


FORMS_BY_CATEGORY = {Category.ADULT: AdultForm, Category.CHILD: ChildForm}


def member_form_class(member) -> type[ReviewMixin]:
    if member.is_holder:
        return HolderForm
    return FORMS_BY_CATEGORY[member.category]


def initial_from(instance, form_class) -> dict:
    return {name: getattr(instance, name) for name in form_class.base_fields}


class AccountForm(ContactFieldsMixin, ReviewMixin, forms.Form):
    """« Modifier » of the account data: the registration's identity and contact fields."""

    civility = forms.ChoiceField(
        label=_("Civilité"), choices=Civility.choices, widget=forms.RadioSelect
    )
    last_name = text_field(_("Nom"), autocomplete="family-name")
    first_name = text_field(_("Prénom"), autocomplete="given-name")
    birth_date = date_field(label=_("Date de naissance"), autocomplete="bday")
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=RegistrationForm.Meta.help_texts["email"],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = text_field(
        _("Téléphone"),
        max_length=20,
        autocomplete="tel",
        input_type="tel",
        help_text=_("Exemple : 06 12 34 56 78"),
    )
    address = text_field(
        _("Adresse (numéro et voie)"), max_length=255, autocomplete="address-line1"
    )
    postal_code = text_field(_("Code postal"), max_length=10, autocomplete="postal-code")
    city = text_field(_("Commune"), autocomplete="address-level2")

    # Certified by FranceConnect while the account is linked to it: shown, never changed.
    IDENTITY_FIELDS = ("civility", "last_name", "first_name", "birth_date")

    def __init__(self, *args, identity_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"
        if identity_locked:
            for name in self.IDENTITY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Certifié par FranceConnect : non modifiable.")

    def clean_last_name(self) -> str:
        value = normalize_spaces(self.cleaned_data["last_name"])
        validate_name(value)
        return value.upper()

    def clean_first_name(self) -> str:
        value = normalize_spaces(self.cleaned_data["first_name"])
        validate_name(value)
        return value

    def clean_birth_date(self) -> date:
        born = self.cleaned_data["birth_date"]
        rules.check_birth_date(born, category=None)
        if not is_adult(born):
            raise ValidationError(_("Le titulaire du compte doit être majeur."))
        return born
