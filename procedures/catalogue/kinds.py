"""Each kind of question: its form field (input type, ``autocomplete`` token, French
errors), how its answer is kept as JSON, and how the answer reads in the récapitulatif,
the PDF, the clerk's page and the exports."""

from datetime import date, time, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.validators import validate_phone
from procedures.catalogue import identifiers
from procedures.catalogue.definition import Question
from procedures.catalogue.models import FieldKind, MembersOf
from procedures.uploads import ALLOWED_HELP, MAX_SIZE, validate_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
YES, NO = "oui", "non"
FILE_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
MAJORITY = 18


class UploadField(forms.FileField):
    """A file checked by content at once, so that the error sits beside the field; a
    question may narrow the portal's types and size."""

    def __init__(self, *args, content_types: set[str] | None = None, max_size=MAX_SIZE, **kw):
        self.content_types = content_types
        self.max_size = max_size
        super().__init__(*args, **kw)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            if upload.size > self.max_size:
                raise ValidationError(
                    _("Le fichier dépasse %(size)s Mo.") % {"size": self.max_size // 2**20},
                    code="too_big",
                )
            content_type = validate_upload(upload)
            if self.content_types and content_type not in self.content_types:
                raise ValidationError(
                    _("Ce type de fichier n'est pas accepté ici."), code="file_type"
                )
        return upload


class IdentifierField(forms.CharField):
    """A text field whose value one of ``identifiers`` cleans and checks."""

    def __init__(self, *args, cleaner, **kwargs):
        self.cleaner = cleaner
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.cleaner(value) if value else value


def relative_date_validator(question: Question):
    def check(value: date) -> None:
        today = timezone.localdate()
        if question.min_days is not None and value < today + timedelta(days=question.min_days):
            earliest = today + timedelta(days=question.min_days)
            raise ValidationError(
                _("Choisissez une date à partir du %(date)s.")
                % {"date": earliest.strftime("%d/%m/%Y")},
                code="too_early",
            )
        if question.max_days is not None and value > today + timedelta(days=question.max_days):
            latest = today + timedelta(days=question.max_days)
            raise ValidationError(
                _("Choisissez une date jusqu'au %(date)s.") % {"date": latest.strftime("%d/%m/%Y")},
                code="too_late",
            )

    return check


def number_field(question: Question, options: dict) -> forms.Field:
    limits = {
        "min_value": Decimal(question.minimum) if question.minimum is not None else None,
        "max_value": Decimal(question.maximum) if question.maximum is not None else None,
    }
    if question.unit:
        options["help_text"] = " ".join(
            filter(None, [options["help_text"], _("En %(unit)s.") % {"unit": question.unit}])
        )
    if question.kind == FieldKind.INTEGER:
        return forms.IntegerField(
            min_value=int(limits["min_value"]) if limits["min_value"] is not None else None,
            max_value=int(limits["max_value"]) if limits["max_value"] is not None else None,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            **options,
        )
    return forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **limits,
        **options,
    )


def text(autocomplete: str = "", **attrs):
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.TextInput(attrs=attrs)


def member_label(member) -> str:
    return f"{member.full_name} ({member.birth_date:%d/%m/%Y})"


def members_offered(question: Question, members) -> list:
    if question.members_of == MembersOf.ADULTS:
        return [member for member in members if member.is_adult]
    if question.members_of == MembersOf.CHILDREN:
        return [member for member in members if not member.is_adult]
    return list(members)


def form_field(question: Question, *, members=()) -> forms.Field:
    """The Django field of a question (an address is three: ``address_fields``)."""
    options = {
        "label": question.label,
        "required": question.required,
        "help_text": question.help_text,
    }
    choices = [(choice, choice) for choice in question.choices]
    match question.kind:
        case FieldKind.SHORT_TEXT:
            return forms.CharField(max_length=200, **options)
        case FieldKind.LONG_TEXT:
            return forms.CharField(
                max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), **options
            )
        case FieldKind.YES_NO:
            return forms.ChoiceField(
                choices=[(YES, _("Oui")), (NO, _("Non"))], widget=forms.RadioSelect, **options
            )
        case FieldKind.INTEGER | FieldKind.NUMBER:
            return number_field(question, options)
        case FieldKind.DATE:
            return forms.DateField(
                widget=DATE_WIDGET, validators=[relative_date_validator(question)], **options
            )
        case FieldKind.TIME:
            return forms.TimeField(widget=TIME_WIDGET, **options)
        case FieldKind.EMAIL:
            return forms.EmailField(
                widget=forms.EmailInput(attrs={"autocomplete": "email"}), **options
            )
        case FieldKind.PHONE:
            return forms.CharField(
                max_length=20,
                validators=[validate_phone],
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
                **options,
            )
        case FieldKind.POSTAL_CODE:
            return IdentifierField(
                max_length=10,
                cleaner=identifiers.clean_postal_code,
                widget=text("postal-code", inputmode="numeric"),
                **options,
            )
        case FieldKind.TOWN:
            return forms.CharField(max_length=100, widget=text("address-level2"), **options)
        case FieldKind.SIRET:
            return IdentifierField(
                max_length=20,
                cleaner=identifiers.clean_siret,
                widget=text("off", inputmode="numeric"),
                **options,
            )
        case FieldKind.RNA:
            return IdentifierField(
                max_length=12, cleaner=identifiers.clean_rna, widget=text("off"), **options
            )
        case FieldKind.IBAN:
            return IdentifierField(
                max_length=42, cleaner=identifiers.clean_iban, widget=text("off"), **options
            )
        case FieldKind.BIC:
            return IdentifierField(
                max_length=11, cleaner=identifiers.clean_bic, widget=text("off"), **options
            )
        case FieldKind.PLATE:
            return IdentifierField(
                max_length=12,
                cleaner=lambda value: identifiers.clean_plate(
                    value, accept_old=question.accept_other
                ),
                widget=text("off"),
                **options,
            )
        case FieldKind.CHOICE:
            widget = forms.RadioSelect if len(choices) <= 5 else forms.Select
            if widget is forms.Select:
                choices = [("", _("Choisissez"))] + choices
            return forms.ChoiceField(choices=choices, widget=widget, **options)
        case FieldKind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **options
            )
        case FieldKind.CHECKBOX:
            return forms.BooleanField(**options)
        case FieldKind.MEMBERS:
            offered = members_offered(question, members)
            return forms.MultipleChoiceField(
                choices=[(str(member.pk), member_label(member)) for member in offered],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Cochez au moins une personne.")},
                **options,
            )
        case FieldKind.FILE:
            types = [part.strip() for part in question.file_types.split(",") if part.strip()]
            content_types = {FILE_TYPES[part] for part in types if part in FILE_TYPES} or None
            max_size = min(MAX_SIZE, (question.file_max_mb or 10) * 2**20)
            allowed = (
                _("%(types)s, %(size)s Mo au plus.")
                % {"types": ", ".join(part.upper() for part in types), "size": max_size // 2**20}
                if content_types or question.file_max_mb
                else str(ALLOWED_HELP)
            )
            options["help_text"] = " ".join(filter(None, [question.help_text, allowed]))
            return UploadField(content_types=content_types, max_size=max_size, **options)
    raise ValueError(question.kind)


NUMBER_LABEL = gettext_lazy("Numéro")
STREET_LABEL = gettext_lazy("Voie")
OTHER_LABEL = gettext_lazy("Adresse, si votre voie n'est pas dans la liste")


def address_fields(question: Question, streets: list[tuple[int, str]]) -> dict[str, forms.Field]:
    """The three inputs of an « adresse dans la commune »: the number, the street from
    the register, and, if the question accepts it, the address written freely (then
    each part may stay empty, one way or the other being given)."""
    required = question.required and not question.accept_other
    fields = {
        "numero": forms.CharField(
            label=NUMBER_LABEL,
            required=required,
            error_messages={"required": _("Indiquez le numéro dans la voie.")},
            max_length=12,
            widget=text("off", inputmode="text"),
            help_text=_("Exemple : 8 bis"),
        ),
        "voie": forms.TypedChoiceField(
            label=STREET_LABEL,
            required=required,
            error_messages={"required": _("Choisissez la voie dans la liste.")},
            choices=[("", _("Choisissez votre voie"))]
            + [(str(pk), label) for pk, label in streets],
            coerce=int,
            empty_value=None,
        ),
    }
    if question.accept_other:
        fields["libre"] = forms.CharField(
            label=OTHER_LABEL,
            required=False,
            max_length=300,
            widget=text("address-line1"),
        )
    return fields


def address_answer(cleaned: dict, question: Question, streets: dict[int, dict]) -> dict | None:
    """The kept address, or None when nothing was given; raises when half given."""
    number = (cleaned.get("numero") or "").strip()
    street_id = cleaned.get("voie")
    other = (cleaned.get("libre") or "").strip()
    if street_id is None and not other:
        if number:
            raise ValidationError(_("Choisissez la voie dans la liste."), code="street_missing")
        return None
    if street_id is not None:
        street = streets.get(street_id)
        if street is None:
            raise ValidationError(_("Choisissez la voie dans la liste."), code="street_unknown")
        if not number:
            raise ValidationError(_("Indiquez le numéro dans la voie."), code="number_missing")
        return {"numero": number, **street}
    return {"libre": other}


def to_json(question: Question, value, *, members=()):
    """Answers are kept as JSON: dates ISO, times « HH:MM », numbers as text, members as
    what the account knew of them."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if question.kind == FieldKind.INTEGER:
        return str(value)
    if question.kind == FieldKind.MEMBERS:
        known = {str(member.pk): member for member in members}
        return [
            {
                "id": known[pk].pk,
                "nom": known[pk].full_name,
                "naissance": known[pk].birth_date.isoformat(),
            }
            for pk in value
            if pk in known
        ]
    return value


def display(question: Question, value) -> str:
    """An answer as a person reads it; "" when there is none."""
    if value in (None, "", []):
        return "" if question.kind != FieldKind.CHECKBOX else _("Non")
    match question.kind:
        case FieldKind.CHECKBOX:
            return _("Oui") if value else _("Non")
        case FieldKind.YES_NO:
            return _("Oui") if value == YES else _("Non")
        case FieldKind.DATE:
            try:
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            except (TypeError, ValueError):
                return str(value)
        case FieldKind.INTEGER | FieldKind.NUMBER:
            shown = str(value).replace(".", ",")
            return f"{shown} {question.unit}".strip()
        case FieldKind.ADDRESS:
            if not isinstance(value, dict):
                return str(value)
            if value.get("libre"):
                return value["libre"]
            street = f"{value.get('numero', '')} {value.get('voie', '')}".strip()
            town = f"{value.get('code_postal', '')} {value.get('commune', '')}".strip()
            return ", ".join(part for part in (street, town) if part)
        case FieldKind.MEMBERS:
            if isinstance(value, list):
                return ", ".join(
                    str(item.get("nom", "")) if isinstance(item, dict) else str(item)
                    for item in value
                )
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def is_given(question: Question, value) -> bool:
    if question.kind == FieldKind.CHECKBOX:
        return value is True
    return value not in (None, "", [], {})
