"""The form of a procedure, built from its definition and validated on the server."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.captcha import CaptchaRenewalMixin, captcha_field
from common.validators import validate_phone
from households.models import Member
from procedures.models import FieldKind, Procedure, ProcedureField
from procedures.uploads import ALLOWED_HELP, validate_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UploadField(forms.FileField):
    """A file checked by content at once, so that the error sits beside the field."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            validate_upload(upload)
        return upload


def phone_field(**options) -> forms.CharField:
    return forms.CharField(max_length=20, validators=[validate_phone], **options)


def build_field(definition: ProcedureField) -> forms.Field:
    options = {
        "label": definition.label,
        "required": definition.required,
        "help_text": definition.help_text,
    }
    choices = [(choice, choice) for choice in definition.choice_list]
    match definition.kind:
        case FieldKind.SHORT_TEXT:
            return forms.CharField(max_length=200, **options)
        case FieldKind.LONG_TEXT:
            return forms.CharField(
                max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), **options
            )
        case FieldKind.NUMBER:
            return forms.DecimalField(max_digits=12, decimal_places=2, **options)
        case FieldKind.DATE:
            return forms.DateField(widget=DATE_WIDGET, **options)
        case FieldKind.EMAIL:
            return forms.EmailField(**options)
        case FieldKind.PHONE:
            return phone_field(**options)
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
        case FieldKind.FILE:
            options["help_text"] = " ".join(filter(None, [definition.help_text, str(ALLOWED_HELP)]))
            return UploadField(**options)
    raise ValueError(definition.kind)


def to_json(value):
    """Answers are kept as JSON: dates as ISO text, numbers as text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def member_choices(procedure: Procedure, members: list[Member]) -> list[Member]:
    if procedure.concerns == Procedure.Concerns.ADULT:
        return [member for member in members if member.is_adult]
    if procedure.concerns == Procedure.Concerns.CHILD:
        return [member for member in members if not member.is_adult]
    return members


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return f"{member.full_name} ({member.birth_date:%d/%m/%Y})"


class ProcedureForm(CaptchaRenewalMixin, forms.Form):
    """Who the request is about, the procedure's own fields, and its supporting documents."""

    def __init__(
        self,
        *args,
        procedure: Procedure,
        members: list[Member],
        fields,
        documents,
        uploaded: set[str] = frozenset(),
        draft: bool = False,
        **kwargs,
    ):
        """``draft``: « Enregistrer le brouillon » keeps an incomplete form, so no answer is
        required then (a value given must still be valid); the required ones are checked at
        « Continuer vers le récapitulatif » and again at sending."""
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.definitions = {f"f_{d.name}": d for d in fields}
        self.requirements = {f"doc_{r.pk}": r for r in documents}
        if procedure.concerns_a_member:
            allowed = member_choices(procedure, members)
            self.fields["member"] = MemberChoiceField(
                label=_("Personne concernée"),
                queryset=Member.objects.filter(pk__in=[m.pk for m in allowed]),
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": _("Choisissez la personne concernée.")},
                help_text=_("Ses informations sont reprises de votre compte."),
            )
        for name, definition in self.definitions.items():
            self.fields[name] = build_field(definition)
            if definition.kind == FieldKind.FILE and name in uploaded:
                self.fields[name].required = False
                self.fields[name].help_text = _(
                    "Un fichier est déjà joint ; déposez-en un autre pour le remplacer."
                )
        if draft:
            for field in self.fields.values():
                field.required = False
        if procedure.captcha_required:
            self.fields["captcha"] = captcha_field()
        for name, requirement in self.requirements.items():
            self.fields[name] = UploadField(
                label=requirement.label,
                required=False,
                help_text=" ".join(
                    filter(
                        None,
                        [
                            requirement.help_text,
                            str(ALLOWED_HELP),
                            str(_("Vous pouvez aussi l'apporter sur papier.")),
                        ],
                    )
                ),
            )

    @property
    def answer_fields(self):
        return [self[name] for name in self.definitions]

    @property
    def document_fields(self):
        return [self[name] for name in self.requirements]

    def answers(self) -> dict:
        return {
            definition.name: to_json(self.cleaned_data.get(name))
            for name, definition in self.definitions.items()
            if definition.kind != FieldKind.FILE
        }

    def uploads(self) -> list[tuple]:
        """(requirement, field name, file) for each file given in this submission."""
        found = []
        for name, definition in self.definitions.items():
            if definition.kind == FieldKind.FILE and self.cleaned_data.get(name):
                found.append((None, definition.name, self.cleaned_data[name]))
        for name, requirement in self.requirements.items():
            if self.cleaned_data.get(name):
                found.append((requirement, "", self.cleaned_data[name]))
        return found


def initial_from(request) -> dict:
    """The draft's answers, back into the form's field names."""
    initial = {f"f_{name}": value for name, value in request.answers.items()}
    if request.member_id:
        initial["member"] = request.member_id
    return initial


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
