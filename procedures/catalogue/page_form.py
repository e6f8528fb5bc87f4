"""One page of a procedure's form, built from its definition, validated on the server.

What is shown follows the conditions (``conditions``): a question hidden by an answer
of an earlier page is not on the page at all; one that depends on an answer of this
page is on it, with its condition in words and in a ``data-condition`` attribute that
the page's script reads to show and hide it; once posted, the answers of this page
decide, and a hidden question is taken out of the form before validation, so that it is
never required, never validated and never kept.

A « Suivant » (``strict``) requires what is required; « Précédent », « Enregistrer le
brouillon » and the buttons of the repeated blocks keep an incomplete page (a value
given must still be valid).
"""

import json
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.captcha import CaptchaRenewalMixin, captcha_field
from procedures.catalogue import kinds
from procedures.catalogue.conditions import NOBODY, Subject, in_words, kinds_of, shown
from procedures.catalogue.definition import Block, Definition, Question
from procedures.catalogue.models import SUBJECT_OPERATORS, FieldKind
from procedures.uploads import ALLOWED_HELP

MEMBER = "member"


def question_key(name: str) -> str:
    return f"f_{name}"


def entry_key(block: str, index: int, name: str) -> str:
    return f"b_{block}__{index}__{name}"


def count_key(block: str) -> str:
    return f"b_{block}__count"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return kinds.member_label(member)


class PageForm(CaptchaRenewalMixin, forms.Form):
    """One page: the person concerned (first page), its questions and blocks, and on the
    last page the supporting documents (and the captcha when the procedure has one)."""

    def __init__(
        self,
        data=None,
        files=None,
        *,
        definition: Definition,
        page: int,
        answers: dict,
        subject: Subject = NOBODY,
        members=(),
        member_field: forms.Field | None = None,
        initial_member=None,
        streets: list[tuple[int, str]] = (),
        street_rows: dict[int, dict] | None = None,
        uploaded: set[str] = frozenset(),
        documents=(),
        with_captcha: bool = False,
        strict: bool = True,
        counts: dict[str, int] | None = None,
    ):
        super().__init__(data, files)
        self.definition = definition
        self.page_index = page
        self.page = definition.pages[page]
        self.stored = answers
        self.members = list(members)
        self.streets = streets
        self.street_rows = street_rows or {}
        self.kinds = kinds_of(definition)
        self.labels = {q.name: q.label for _i, q in definition.questions()}
        self.on_this_page = {item.name for item in self.page.items}
        self.counts = counts or {}
        if member_field is not None:
            self.fields[MEMBER] = member_field
            if initial_member is not None:
                self.initial[MEMBER] = initial_member
        # Answers of the earlier pages decide at once; those of this page, once posted.
        self.subject = self.posted_subject(subject)
        self.context_answers = self.answers_before_this_page()
        self.add_question_fields(uploaded)
        self.documents = list(documents)
        for document in self.documents:
            self.fields[f"doc_{document.id}"] = kinds.UploadField(
                label=document.label,
                required=False,
                help_text=" ".join(
                    filter(
                        None,
                        [
                            document.help_text,
                            str(ALLOWED_HELP),
                            _("Vous pouvez aussi l'apporter sur papier."),
                        ],
                    )
                ),
            )
        if with_captcha:
            self.fields["captcha"] = captcha_field()
        self.strict = strict
        if not strict:
            for field in self.fields.values():
                field.required = False
        if not self.is_bound:
            self.initial_values()
        self.attach_bound_fields()

    def attach_bound_fields(self) -> None:
        """Templates read each item's bound fields from the item itself."""
        for item in self.all_items():
            if item["type"] == "question":
                item["field"] = self[item["key"]]
            elif item["type"] == "address":
                item["fields"] = [self[f"{item['key']}__{part}"] for part in item["parts"]]

    # Which questions are on the page

    def posted_subject(self, subject: Subject) -> Subject:
        if not self.is_bound or MEMBER not in self.fields:
            return subject
        chosen = self.data.get(MEMBER)
        for member in self.fields[MEMBER].queryset:
            if str(member.pk) == chosen:
                return Subject(birth_date=member.birth_date)
        return subject

    def answers_before_this_page(self) -> dict:
        earlier = {}
        for page in self.definition.pages[: self.page_index]:
            for item in page.items:
                if item.name in self.stored:
                    earlier[item.name] = self.stored[item.name]
        return earlier

    def depends_on_this_page(self, item) -> bool:
        return any(
            rule.source in self.on_this_page
            or (rule.operator in SUBJECT_OPERATORS and MEMBER in self.fields)
            for rule in item.conditions
        )

    def lenient_value(self, question: Question):
        """This page's answer to ``question`` as posted, typed, or None (for conditions)."""
        if question.kind in (FieldKind.FILE, FieldKind.ADDRESS) or not question.asked:
            return None
        field = kinds.form_field(question, members=self.members)
        field.required = False
        raw = field.widget.value_from_datadict(self.data, self.files, question_key(question.name))
        try:
            return kinds.to_json(question, field.clean(raw), members=self.members)
        except ValidationError:
            return None

    def add_question_fields(self, uploaded: set[str]) -> None:
        self.items = []
        known = dict(self.context_answers)
        for item in self.page.items:
            if self.is_bound:
                visible = shown(item, known, self.subject, self.kinds)
            else:
                visible = self.depends_on_this_page(item) or shown(
                    item, {**known, **self.stored}, self.subject, self.kinds
                )
            if not visible:
                continue
            if isinstance(item, Block):
                self.items.append(self.add_block(item, known))
                continue
            self.items.append(self.add_question(item, uploaded))
            if self.is_bound:
                known[item.name] = self.lenient_value(item)

    def condition_attributes(self, item) -> dict:
        if not self.depends_on_this_page(item) or any(
            rule.operator in SUBJECT_OPERATORS for rule in item.conditions
        ):
            return {"words": in_words(item, self.labels), "condition": ""}
        return {
            "words": in_words(item, self.labels),
            "condition": json.dumps(
                {
                    "join": item.join,
                    "rules": [
                        {
                            "source": question_key(rule.source),
                            "kind": self.kinds.get(rule.source, ""),
                            "operator": rule.operator,
                            "value": rule.value,
                        }
                        for rule in item.conditions
                    ],
                }
            ),
        }

    def add_question(self, question: Question, uploaded: set[str], *, prefix: str = "") -> dict:
        key = prefix or question_key(question.name)
        entry = {
            "question": question,
            "key": key,
            "label": question.label,
            **self.condition_attributes(question),
        }
        if not question.asked:
            return {**entry, "type": "explanation"}
        if question.kind == FieldKind.ADDRESS:
            parts = kinds.address_fields(question, self.streets)
            for part, field in parts.items():
                self.fields[f"{key}__{part}"] = field
            return {**entry, "type": "address", "parts": list(parts)}
        field = kinds.form_field(question, members=self.members)
        if question.kind == FieldKind.FILE and question.name in uploaded:
            field.required = False
            field.help_text = _(
                "Un fichier est déjà joint ; déposez-en un autre pour le remplacer."
            )
        self.fields[key] = field
        return {**entry, "type": "question"}

    def add_block(self, block: Block, known: dict) -> dict:
        stored = self.stored.get(block.name)
        stored = stored if isinstance(stored, list) else []
        if block.name in self.counts:
            count = self.counts[block.name]
        elif self.is_bound:
            count = self.posted_count(block)
        else:
            count = len(stored)
        count = max(block.min_items, min(block.max_items, count))
        entries = []
        for index in range(count):
            fields = []
            for question in block.questions:
                if not shown(question, known, self.subject, self.kinds):
                    continue
                item = self.add_question(
                    question, set(), prefix=entry_key(block.name, index, question.name)
                )
                label_field = self.fields.get(item["key"])
                if label_field is not None:
                    label_field.label = _("%(label)s (%(item)s %(number)s)") % {
                        "label": question.label,
                        "item": block.label.lower(),
                        "number": index + 1,
                    }
                fields.append(item)
            entries.append({"number": index + 1, "index": index, "items": fields})
        return {
            "type": "block",
            "block": block,
            "label": block.label,
            "key": block.name,
            "count": count,
            "entries": entries,
            "can_add": count < block.max_items,
            "can_remove": count > block.min_items,
            **self.condition_attributes(block),
        }

    def posted_count(self, block: Block) -> int:
        try:
            return int(self.data.get(count_key(block.name), block.min_items))
        except (TypeError, ValueError):
            return block.min_items

    # Initial values from the draft

    def initial_values(self) -> None:
        for item in self.items:
            if item["type"] == "block":
                stored = self.stored.get(item["key"])
                stored = stored if isinstance(stored, list) else []
                for entry in item["entries"]:
                    values = stored[entry["index"]] if entry["index"] < len(stored) else {}
                    for sub in entry["items"]:
                        self.set_initial(sub, values.get(sub["question"].name))
            elif item["type"] != "explanation":
                self.set_initial(item, self.stored.get(item["question"].name))

    def set_initial(self, item: dict, value) -> None:
        if value is None:
            return
        key, question = item["key"], item["question"]
        if item["type"] == "address" and isinstance(value, dict):
            self.initial[f"{key}__numero"] = value.get("numero", "")
            self.initial[f"{key}__voie"] = value.get("id")
            if "libre" in item["parts"]:
                self.initial[f"{key}__libre"] = value.get("libre", "")
        elif question.kind == FieldKind.MEMBERS and isinstance(value, list):
            self.initial[key] = [str(entry.get("id")) for entry in value if isinstance(entry, dict)]
        elif question.kind != FieldKind.FILE:
            self.initial[key] = value

    # What the page gives

    def clean(self):
        cleaned = super().clean()
        self.address_values = {}
        for item in self.all_items():
            if item["type"] != "address":
                continue
            key, question = item["key"], item["question"]
            parts = {part: cleaned.get(f"{key}__{part}") for part in item["parts"]}
            try:
                value = kinds.address_answer(parts, question, self.street_rows)
            except ValidationError as error:
                self.add_error(f"{key}__voie", error)
                continue
            if value is None and question.required and self.strict:
                self.add_error(
                    f"{key}__voie",
                    ValidationError(_("Choisissez la voie dans la liste."), code="required"),
                )
                continue
            self.address_values[key] = value
        self.check_date_order(cleaned)
        return cleaned

    def check_date_order(self, cleaned: dict) -> None:
        """« Au » not before « Du »: the earlier date from this page or the draft."""
        for item in self.all_items():
            question = item["question"] if item["type"] == "question" else None
            if question is None or not question.not_before or not cleaned.get(item["key"]):
                continue
            earlier_key = question_key(question.not_before)
            earlier = cleaned.get(earlier_key) if earlier_key in self.fields else None
            if earlier is None:
                stored = self.stored.get(question.not_before)
                earlier = date.fromisoformat(stored) if isinstance(stored, str) else None
            if earlier is not None and cleaned[item["key"]] < earlier:
                self.add_error(
                    item["key"],
                    ValidationError(
                        _("Cette date ne peut pas être avant « %(label)s ».")
                        % {"label": self.labels.get(question.not_before, question.not_before)},
                        code="before_start",
                    ),
                )

    def all_items(self):
        for item in self.items:
            if item["type"] == "block":
                for entry in item["entries"]:
                    yield from entry["items"]
            else:
                yield item

    def value_of(self, item: dict):
        if item["type"] == "address":
            return self.address_values.get(item["key"])
        return kinds.to_json(
            item["question"], self.cleaned_data.get(item["key"]), members=self.members
        )

    def page_answers(self) -> dict:
        """This page's answers, by question and block name (files aside)."""
        found = {}
        for item in self.items:
            if item["type"] == "explanation":
                continue
            if item["type"] == "block":
                found[item["key"]] = [
                    {
                        sub["question"].name: self.value_of(sub)
                        for sub in entry["items"]
                        if sub["type"] != "explanation"
                    }
                    for entry in item["entries"]
                ]
            elif item["question"].kind != FieldKind.FILE:
                found[item["question"].name] = self.value_of(item)
        return found

    def uploads(self) -> list[tuple]:
        """(requirement id, field name, file) for each file given on this page."""
        found = []
        for item in self.items:
            is_file = item["type"] == "question" and item["question"].kind == FieldKind.FILE
            if is_file and self.cleaned_data.get(item["key"]):
                found.append((None, item["question"].name, self.cleaned_data[item["key"]]))
        for document in self.documents:
            upload = self.cleaned_data.get(f"doc_{document.id}")
            if upload:
                found.append((document.id, "", upload))
        return found

    @property
    def document_fields(self):
        return [self[f"doc_{document.id}"] for document in self.documents]
