"""Birth, marriage and death certificates: the legal request form and who may receive what.

Décret n° 2017-890 du 6 mai 2017 relatif à l'état civil, art. 30 and following:

- a full copy (« copie intégrale ») or an extract showing the parents (« extrait
  avec filiation ») of a birth or marriage certificate is delivered only to the
  person, their spouse, their ascendants or descendants, or their legal
  representative; anyone else needs the public prosecutor's authorisation;
- the request for one of them names the person's parents;
- anyone may receive an extract without the parents (« extrait sans filiation »);
- anyone may receive a full copy of a death certificate.

The multilingual extract (« extrait plurilingue », Vienna convention of 8
September 1976) of a birth or marriage certificate shows the parents, so it
follows the rule of the extract with filiation; that of a death certificate is
open to anyone like the rest of the death certificate.
"""

from datetime import date

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Civility
from common.captcha import CaptchaRenewalMixin, captcha_field
from common.validators import clean_last_name, clean_name, validate_postal_code
from procedures.models import Certificate

DEFAULT_COUNTRY = "France"
MAX_COPIES = 5
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentKind(models.TextChoices):
    """Stored in a request's answers; the values stay French from now on (one language)."""

    FULL_COPY = "copie_integrale", _("Copie intégrale")
    WITH_FILIATION = "extrait_avec_filiation", _("Extrait avec filiation")
    WITHOUT_FILIATION = "extrait_sans_filiation", _("Extrait sans filiation")
    MULTILINGUAL = "extrait_plurilingue", _("Extrait plurilingue")


class Relationship(models.TextChoices):
    """Stored in a request's answers; the values stay French from now on (one language)."""

    SELF = "personne", _("La personne elle-même")
    SPOUSE = "conjoint", _("Son conjoint ou sa conjointe")
    ASCENDANT = "ascendant", _("Un ascendant (parent, grand-parent)")
    DESCENDANT = "descendant", _("Un descendant (enfant, petit-enfant)")
    LEGAL_REPRESENTATIVE = "representant_legal", _("Son représentant légal")
    OTHER = "tiers", _("Autre (tiers)")


# Documents that show the parents of the person (birth and marriage certificates).
SHOWS_FILIATION = {DocumentKind.FULL_COPY, DocumentKind.WITH_FILIATION, DocumentKind.MULTILINGUAL}
ENTITLED = set(Relationship) - {Relationship.OTHER}

REFUSAL = _(
    "Une copie intégrale ou un extrait avec filiation ne peut être délivré qu'à la personne "
    "concernée, à son conjoint, à ses ascendants ou descendants, ou à son représentant légal. "
    "Choisissez un extrait sans filiation, ou justifiez d'une autorisation du procureur de la "
    "République."
)
MULTILINGUAL_REFUSAL = _(
    "Un extrait plurilingue indique la filiation : il ne peut être délivré qu'à la personne "
    "concernée, à son conjoint, à ses ascendants ou descendants, ou à son représentant légal. "
    "Choisissez un extrait sans filiation, ou justifiez d'une autorisation du procureur de la "
    "République."
)
WHO_MAY_RECEIVE = {
    Certificate.BIRTH: _(
        "La copie intégrale, l'extrait avec filiation et l'extrait plurilingue, qui indiquent "
        "les parents, ne sont délivrés qu'à la personne, à son conjoint, à ses ascendants ou "
        "descendants, ou à son représentant légal. L'extrait sans filiation est délivré à "
        "toute personne."
    ),
    Certificate.DEATH: _("Tout document d'un acte de décès est délivré à toute personne."),
}
WHO_MAY_RECEIVE[Certificate.MARRIAGE] = WHO_MAY_RECEIVE[Certificate.BIRTH]
PARENTS_MISSING = _(
    "Indiquez le nom et les prénoms d'au moins un parent : la loi l'exige pour une copie "
    "intégrale, un extrait avec filiation ou un extrait plurilingue d'un acte de naissance."
)

EVENT_DATE_LABELS = {
    Certificate.BIRTH: _("Date de naissance"),
    Certificate.MARRIAGE: _("Date du mariage"),
    Certificate.DEATH: _("Date du décès"),
}


def delivery_refusal(*, certificate: str, document_kind: str, relationship: str) -> str | None:
    """Why the law refuses this document to this requester, or None when it may be delivered."""
    if certificate == Certificate.DEATH:
        return None
    if document_kind in SHOWS_FILIATION and relationship not in ENTITLED:
        if document_kind == DocumentKind.MULTILINGUAL:
            return str(MULTILINGUAL_REFUSAL)
        return str(REFUSAL)
    return None


def parents_required(*, certificate: str, document_kind: str) -> bool:
    return certificate == Certificate.BIRTH and document_kind in SHOWS_FILIATION


def legal_problems(*, certificate: str, data) -> dict[str, str]:
    """What the law finds wrong in a request, by the name of the field to correct."""
    problems = {}
    kind = data.get("document_kind")
    relationship = data.get("relationship")
    if kind and relationship:
        refusal = delivery_refusal(
            certificate=certificate, document_kind=kind, relationship=relationship
        )
        if refusal:
            problems["document_kind"] = refusal
    named_parent = data.get("parent_1") or data.get("parent_2")
    if kind and parents_required(certificate=certificate, document_kind=kind) and not named_parent:
        problems["parent_1"] = str(PARENTS_MISSING)
    return problems


def is_france(country: str) -> bool:
    return country.strip().casefold() in {"france", "fr"}


def not_in_future(value: date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("La date ne peut pas être dans le futur."))


def name_field(label, *, required: bool = True, help_text: str = "", autocomplete: str = "off"):
    return forms.CharField(
        label=label,
        max_length=150,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


def date_field(label, *, required: bool = True):
    return forms.DateField(
        label=label,
        required=required,
        validators=[not_in_future],
        widget=DATE_WIDGET,
        help_text=_("Format : jj/mm/aaaa"),
    )


class CivilStatusForm(CaptchaRenewalMixin, forms.Form):
    """The request for a birth, marriage or death certificate, made without an account."""

    document_kind = forms.ChoiceField(
        label=_("Type de document"), choices=DocumentKind.choices, widget=forms.RadioSelect
    )
    relationship = forms.ChoiceField(
        label=_("Votre lien avec la personne figurant sur l'acte"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
    )
    copies = forms.IntegerField(
        label=_("Nombre d'exemplaires"),
        min_value=1,
        max_value=MAX_COPIES,
        initial=1,
        help_text=_("De 1 à %(max)s.") % {"max": MAX_COPIES},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    subject_last_name = name_field(
        _("Nom de naissance"),
        help_text=_("Le nom porté à la naissance, même s'il a changé depuis."),
    )
    subject_first_names = name_field(
        _("Prénoms"), help_text=_("Tous les prénoms, dans l'ordre de l'acte.")
    )
    event_date = date_field(_("Date de l'événement"))
    subject_birth_date = date_field(_("Date de naissance de la personne"), required=False)
    parent_1 = name_field(_("Premier parent : nom et prénoms"), required=False)
    parent_2 = name_field(_("Second parent : nom et prénoms"), required=False)
    civility = forms.ChoiceField(
        label=_("Civilité"), choices=Civility.choices, widget=forms.RadioSelect
    )
    last_name = name_field(_("Nom"), autocomplete="family-name")
    first_name = name_field(_("Prénom"), autocomplete="given-name")
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_(
            "Le lien pour suivre votre demande vous sera envoyé à cette adresse. "
            "Exemple : nom@domaine.fr"
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Adresse (numéro et voie)"),
        max_length=200,
        help_text=_("L'acte vous est envoyé par courrier à cette adresse."),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postal_code = forms.CharField(
        label=_("Code postal"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    city = forms.CharField(
        label=_("Commune"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = forms.CharField(
        label=_("Pays"),
        max_length=80,
        initial=DEFAULT_COUNTRY,
        widget=forms.TextInput(attrs={"autocomplete": "country-name"}),
    )
    captcha = captcha_field()

    document_names = ("document_kind", "copies", "relationship")
    subject_names = (
        "subject_last_name",
        "subject_first_names",
        "event_date",
        "subject_birth_date",
        "parent_1",
        "parent_2",
    )
    requester_names = ("civility", "last_name", "first_name", "email")
    address_names = ("address", "postal_code", "city", "country")

    def __init__(self, *args, certificate: Certificate, **kwargs):
        super().__init__(*args, **kwargs)
        self.certificate = certificate
        self.fields["event_date"].label = EVENT_DATE_LABELS[certificate]
        if certificate == Certificate.BIRTH:
            del self.fields["subject_birth_date"]
        if certificate != Certificate.BIRTH:
            del self.fields["parent_1"], self.fields["parent_2"]
        else:
            self.fields["parent_1"].help_text = _(
                "Au moins un parent est obligatoire pour une copie intégrale, un extrait avec "
                "filiation ou un extrait plurilingue."
            )
        self.fields["document_kind"].help_text = WHO_MAY_RECEIVE[certificate]

    def section(self, names):
        return [self[name] for name in names if name in self.fields]

    @property
    def document_fields(self):
        return self.section(self.document_names)

    @property
    def subject_fields(self):
        return self.section(self.subject_names)

    @property
    def requester_fields(self):
        return self.section(self.requester_names)

    @property
    def address_fields(self):
        return self.section(self.address_names)

    def clean_subject_last_name(self):
        return clean_last_name(
            self.cleaned_data["subject_last_name"],
            max_length=self.fields["subject_last_name"].max_length,
        )

    def clean_subject_first_names(self):
        return clean_name(self.cleaned_data["subject_first_names"])

    def clean_last_name(self):
        return clean_last_name(
            self.cleaned_data["last_name"], max_length=self.fields["last_name"].max_length
        )

    def clean_first_name(self):
        return clean_name(self.cleaned_data["first_name"])

    def clean_parent_1(self):
        value = self.cleaned_data["parent_1"]
        return clean_name(value) if value.strip() else ""

    def clean_parent_2(self):
        value = self.cleaned_data["parent_2"]
        return clean_name(value) if value.strip() else ""

    def clean_address(self):
        return " ".join(self.cleaned_data["address"].split())

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())

    def clean_country(self):
        return " ".join(self.cleaned_data["country"].split())

    def clean(self):
        cleaned = super().clean()
        for name, problem in legal_problems(certificate=self.certificate, data=cleaned).items():
            if name not in self.errors:
                self.add_error(name, problem)
        born, event = cleaned.get("subject_birth_date"), cleaned.get("event_date")
        if born and event and born > event:
            self.add_error(
                "subject_birth_date",
                _("La date de naissance ne peut pas être postérieure à la date de l'événement."),
            )
        code = cleaned.get("postal_code", "").strip()
        if code and is_france(cleaned.get("country", "")):
            try:
                validate_postal_code(code)
            except forms.ValidationError as error:
                self.add_error("postal_code", error)
        return cleaned


# The answers kept with the request: the legal fields, under stable names.
ANSWER_LABELS = {
    "acte": _("Acte demandé"),
    "type_document": _("Type de document"),
    "exemplaires": _("Nombre d'exemplaires"),
    "lien": _("Lien du demandeur avec la personne"),
    "nom": _("Nom de naissance"),
    "prenoms": _("Prénoms"),
    "date_evenement": _("Date de l'événement"),
    "date_naissance": _("Date de naissance"),
    "parent_1": _("Premier parent"),
    "parent_2": _("Second parent"),
    "demandeur": _("Demandeur"),
    "adresse_envoi": _("Adresse d'envoi"),
}
CHOICE_LABELS = {
    "acte": dict(Certificate.choices),
    "type_document": dict(DocumentKind.choices),
    "lien": dict(Relationship.choices),
}


def postal_address(data) -> str:
    lines = [data["address"], f"{data['postal_code']} {data['city']}"]
    if not is_france(data.get("country", DEFAULT_COUNTRY)):
        lines.append(data["country"])
    return ", ".join(lines)


def answers_from(data, *, certificate: str) -> dict:
    """The legal fields of a valid form, as JSON (dates in ISO)."""
    civility = dict(Civility.choices)[data["civility"]]
    answers = {
        "acte": str(certificate),
        "type_document": data["document_kind"],
        "exemplaires": data["copies"],
        "lien": data["relationship"],
        "nom": data["subject_last_name"],
        "prenoms": data["subject_first_names"],
        "date_evenement": data["event_date"].isoformat(),
        "demandeur": f"{civility} {data['first_name']} {data['last_name']}",
        "adresse_envoi": postal_address(data),
    }
    if data.get("subject_birth_date"):
        answers["date_naissance"] = data["subject_birth_date"].isoformat()
    for name in ("parent_1", "parent_2"):
        if data.get(name):
            answers[name] = data[name]
    return answers


def answer_rows(answers: dict) -> list[dict]:
    """The answers as the citizen and the clerk read them, in the order of the form."""
    certificate = answers.get("acte")
    rows = []
    for name, label in ANSWER_LABELS.items():
        if name not in answers:
            continue
        value = answers[name]
        if name in CHOICE_LABELS:
            value = CHOICE_LABELS[name].get(value, value)
        elif name in ("date_evenement", "date_naissance"):
            value = date.fromisoformat(value).strftime("%d/%m/%Y")
        if name == "date_evenement" and certificate in EVENT_DATE_LABELS:
            label = EVENT_DATE_LABELS[certificate]
        rows.append({"name": name, "label": str(label), "value": str(value)})
    return rows
