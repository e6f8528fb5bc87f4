"""A procedure as a file a town gives another: ``manage.py export_procedure SLUG``,
``manage.py import_procedure FILE.json [--slug NEW]`` and the admin's action and page.

The file holds the form and its texts (pages, questions, blocks, conditions, documents),
never a request nor a person's data. Its format, version 1::

    {
      "format": "espace-citoyen/demarche",
      "version": 1,
      "procedure": {"title", "slug", "summary", "description", "theme",
                    "concerns", "captcha_required", "service_name", "service_contact",
                    "silence_rule", "silence_delay_days", "has_appointment",
                    "reminder_text"},
      "pages": [{"title", "join", "conditions": [{"source", "operator", "value"}],
                 "items": [{"type": "question", "name", "label", "kind", ...}
                           | {"type": "bloc", "name", "label", "min_items",
                              "max_items", "questions": [...], ...}]}],
      "documents": [{"label", "help_text", "join", "conditions": [...]}]
    }

An import is checked as strictly as an upload: unknown keys, wrong types, oversized
texts, markup in a text (it would be shown escaped, never run: it is refused all the
same), unknown kinds or operators, and a form that ``checks.problems`` finds unsound
give a French report, and nothing is written. An imported procedure starts
unpublished, for the town to read it over.
"""

import re
from dataclasses import asdict, fields
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from procedures.catalogue.checks import problems
from procedures.catalogue.definition import (
    Block,
    Definition,
    Document,
    Question,
    definition_of,
    from_json,
)
from procedures.catalogue.models import (
    Concerns,
    Condition,
    DocumentRequirement,
    FieldBlock,
    FieldKind,
    Join,
    MembersOf,
    Operator,
    Procedure,
    ProcedureField,
    ProcedurePage,
    Theme,
)

FORMAT = "espace-citoyen/demarche"
VERSION = 1
MAX_FILE_BYTES = 1024 * 1024
PROCEDURE_KEYS = {
    "title": 160,
    "slug": 50,
    "summary": 255,
    "description": 5000,
    "theme": 50,
    "concerns": 16,
    "captcha_required": None,
    "service_name": 160,
    "service_contact": 255,
    "silence_rule": 16,
    "silence_delay_days": None,
    "has_appointment": None,
    "reminder_text": 200,
}
TEXT_LIMITS = {
    "name": 50,
    "label": 200,
    "title": 120,
    "help_text": 255,
    "unit": 20,
    "not_before": 50,
    "file_types": 30,
    "value": 200,
    "source": 50,
}
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript:|&#", re.IGNORECASE)
NAME = re.compile(r"^[-a-zA-Z0-9_]+$")


class ImportRefused(Exception):
    """The file cannot be imported; ``problems`` says why, in French."""

    def __init__(self, found: list[str]):
        super().__init__("\n".join(found))
        self.problems = found


# Export


def export_procedure(procedure: Procedure) -> dict:
    """The exchange file of a procedure read with every row of its form."""
    definition = definition_of(procedure).to_json()
    for document in definition["documents"]:
        document.pop("id")
    return {
        "format": FORMAT,
        "version": VERSION,
        "procedure": {
            "title": procedure.title,
            "slug": procedure.slug,
            "summary": procedure.summary,
            "description": procedure.description,
            "theme": procedure.theme.slug,
            "concerns": procedure.concerns,
            "captcha_required": procedure.captcha_required,
            "service_name": procedure.service_name,
            "service_contact": procedure.service_contact,
            "silence_rule": procedure.silence_rule,
            "silence_delay_days": procedure.silence_delay_days,
            "has_appointment": procedure.has_appointment,
            "reminder_text": procedure.reminder_text,
        },
        "pages": definition["pages"],
        "documents": definition["documents"],
    }


# Checks


class Reader:
    """Walks the file, noting every problem with where it is."""

    def __init__(self):
        self.found: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.found.append(f"{where} : {message}")

    def keys(self, data, allowed: set[str], where: str, required: set[str] = frozenset()) -> bool:
        if not isinstance(data, dict):
            self.problem(where, _("un objet est attendu."))
            return False
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.problem(where, _("clés inconnues : %(keys)s.") % {"keys": ", ".join(unknown)})
        missing = sorted(required - set(data))
        if missing:
            self.problem(where, _("clés manquantes : %(keys)s.") % {"keys": ", ".join(missing)})
        return not unknown and not missing

    def text(self, value, where: str, limit: int) -> None:
        if not isinstance(value, str):
            self.problem(where, _("un texte est attendu."))
        elif len(value) > limit:
            self.problem(
                where, _("texte trop long (%(limit)s caractères au plus).") % {"limit": limit}
            )
        elif MARKUP.search(value):
            self.problem(where, _("le texte contient du HTML ou un script, refusé."))

    def choice(self, value, allowed, where: str) -> None:
        if value not in allowed:
            self.problem(where, _("valeur inconnue « %(value)s ».") % {"value": value})

    def typed(self, value, kinds: tuple, where: str, nullable: bool = False) -> None:
        if value is None and nullable:
            return
        if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
            self.problem(where, _("type de valeur inattendu."))

    def rules(self, data, where: str) -> None:
        if not isinstance(data, list):
            self.problem(where, _("une liste est attendue."))
            return
        for index, rule in enumerate(data, start=1):
            here = f"{where} n° {index}"
            if self.keys(rule, {"source", "operator", "value"}, here, {"source", "operator"}):
                self.text(rule["source"], here, TEXT_LIMITS["source"])
                self.choice(rule["operator"], Operator.values, here)
                self.text(rule.get("value", ""), here, TEXT_LIMITS["value"])

    def question(self, data, where: str) -> None:
        allowed = {f.name for f in fields(Question)} | {"type"}
        if not self.keys(data, allowed, where, {"name", "label", "kind"}):
            return
        where = f"{where} « {str(data['name'])[:50]} »"
        for key in ("name", "label", "help_text", "unit", "not_before", "file_types"):
            if key in data:
                self.text(data[key], f"{where}, {key}", TEXT_LIMITS[key])
        if isinstance(data["name"], str) and not NAME.match(data["name"]):
            self.problem(where, _("nom technique fait de lettres, chiffres et tirets bas."))
        self.choice(data["kind"], FieldKind.values, f"{where}, kind")
        self.choice(data.get("join", Join.ALL), Join.values, f"{where}, join")
        self.choice(data.get("members_of", ""), MembersOf.values, f"{where}, members_of")
        for key in ("required", "accept_other"):
            self.typed(data.get(key, False), (bool,), f"{where}, {key}")
        for key in ("min_days", "max_days", "file_max_mb"):
            self.typed(data.get(key), (int,), f"{where}, {key}", nullable=True)
        for key in ("minimum", "maximum"):
            self.typed(data.get(key), (str,), f"{where}, {key}", nullable=True)
        choices = data.get("choices", [])
        if not isinstance(choices, list) or len(choices) > 200:
            self.problem(where, _("les choix sont une liste (200 au plus)."))
        else:
            for choice in choices:
                self.text(choice, f"{where}, choix", TEXT_LIMITS["label"])
        self.rules(data.get("conditions", []), f"{where}, condition")

    def item(self, data, where: str) -> None:
        if isinstance(data, dict) and data.get("type") == "bloc":
            allowed = {f.name for f in fields(Block)} | {"type"}
            if not self.keys(data, allowed, where, {"name", "label", "questions"}):
                return
            self.text(data["name"], f"{where}, name", TEXT_LIMITS["name"])
            self.text(data["label"], f"{where}, label", 80)
            for key in ("min_items", "max_items"):
                self.typed(data.get(key, 1), (int,), f"{where}, {key}")
            self.rules(data.get("conditions", []), f"{where}, condition")
            for index, question in enumerate(data["questions"], start=1):
                self.question(question, f"{where}, question {index}")
        else:
            self.question(data, where)

    def procedure(self, data) -> None:
        where = _("démarche")
        if not self.keys(data, set(PROCEDURE_KEYS), where, {"title", "slug", "theme"}):
            return
        for key, limit in PROCEDURE_KEYS.items():
            if key not in data:
                continue
            if limit is None:
                kinds = (int,) if key == "silence_delay_days" else (bool,)
                self.typed(
                    data[key], kinds, f"{where}, {key}", nullable=key == "silence_delay_days"
                )
            else:
                self.text(data[key], f"{where}, {key}", limit)
        self.choice(
            data.get("concerns", Concerns.ANY_MEMBER), Concerns.values, f"{where}, concerns"
        )
        self.choice(
            data.get("silence_rule", ""), Procedure.Silence.values, f"{where}, silence_rule"
        )
        if data.get("concerns") == Concerns.NOBODY:
            self.problem(where, _("seules les démarches liées au foyer s'échangent."))

    def file(self, data) -> None:
        top = {"format", "version", "procedure", "pages", "documents"}
        if not self.keys(data, top, _("fichier"), top):
            return
        if data["format"] != FORMAT or data["version"] != VERSION:
            self.problem(
                _("fichier"),
                _("ce n'est pas un fichier de démarche « %(format)s » version %(version)s.")
                % {"format": FORMAT, "version": VERSION},
            )
            return
        self.procedure(data["procedure"])
        if not isinstance(data["pages"], list) or not data["pages"] or len(data["pages"]) > 50:
            self.problem(_("pages"), _("de 1 à 50 pages."))
            return
        for number, page in enumerate(data["pages"], start=1):
            where = _("page %(number)s") % {"number": number}
            if not self.keys(
                page, {"title", "items", "conditions", "join"}, where, {"title", "items"}
            ):
                continue
            self.text(page["title"], where, TEXT_LIMITS["title"])
            self.rules(page.get("conditions", []), f"{where}, condition")
            if not isinstance(page["items"], list) or len(page["items"]) > 200:
                self.problem(where, _("200 questions au plus par page."))
                continue
            for index, item in enumerate(page["items"], start=1):
                self.item(item, f"{where}, question {index}")
        documents = data["documents"]
        if not isinstance(documents, list) or len(documents) > 50:
            self.problem(_("pièces"), _("une liste de 50 pièces au plus."))
            return
        for index, document in enumerate(documents, start=1):
            where = _("pièce %(number)s") % {"number": index}
            allowed = {"label", "help_text", "conditions", "join"}
            if self.keys(document, allowed, where, {"label"}):
                self.text(document["label"], where, TEXT_LIMITS["label"])
                self.text(document.get("help_text", ""), where, TEXT_LIMITS["help_text"])
                self.rules(document.get("conditions", []), f"{where}, condition")


def read(data: dict) -> Definition:
    """The file's form, once every check passed; raises ``ImportRefused`` otherwise."""
    reader = Reader()
    reader.file(data)
    if reader.found:
        raise ImportRefused(reader.found)
    try:
        definition = from_json({"pages": data["pages"], "documents": data["documents"]})
    except (TypeError, KeyError, ValueError) as error:
        raise ImportRefused(
            [_("fichier : forme inattendue (%(error)s).") % {"error": error}]
        ) from error
    concerns = data["procedure"].get("concerns", Concerns.ANY_MEMBER)
    found = problems(
        definition,
        concerns_a_member=concerns in (Concerns.ANY_MEMBER, Concerns.ADULT, Concerns.CHILD),
    )
    if found:
        raise ImportRefused(found)
    return definition


# Import


@transaction.atomic
def import_procedure(data: dict, *, slug: str = "") -> Procedure:
    """Write the file's procedure, unpublished; ``slug`` gives it another address."""
    definition = read(data)
    attributes = dict(data["procedure"])
    theme = Theme.objects.filter(slug=attributes.pop("theme")).first()
    slug = slug or attributes.pop("slug")
    attributes.pop("slug", None)
    found = []
    if theme is None:
        found.append(
            _("démarche : thème « %(theme)s » inconnu ici ; créez-le d'abord.")
            % {"theme": data["procedure"]["theme"]}
        )
    if not NAME.match(slug) or Procedure.objects.filter(slug=slug).exists():
        found.append(
            _(
                "démarche : l'adresse « %(slug)s » est déjà prise ou invalide ; "
                "choisissez-en une autre (--slug)."
            )
            % {"slug": slug}
        )
    if found:
        raise ImportRefused(found)
    procedure = Procedure.objects.create(theme=theme, slug=slug, published=False, **attributes)
    write_definition(procedure, definition)
    return procedure


def write_definition(procedure: Procedure, definition: Definition) -> None:
    """The catalogue's rows of a definition: pages, blocks, fields, documents, conditions."""
    questions: dict[str, ProcedureField] = {}
    pending: list[tuple[dict, list]] = []
    order = 0
    for page_order, page in enumerate(definition.pages):
        page_row = ProcedurePage.objects.create(
            procedure=procedure, title=page.title, order=page_order, condition_join=page.join
        )
        pending.append(({"page": page_row}, page.conditions))
        for item in page.items:
            order += 1
            if isinstance(item, Block):
                block_row = FieldBlock.objects.create(
                    procedure=procedure,
                    page=page_row,
                    name=item.name,
                    label=item.label,
                    min_items=item.min_items,
                    max_items=item.max_items,
                    order=order,
                    condition_join=item.join,
                )
                pending.append(({"block": block_row}, item.conditions))
                for question in item.questions:
                    order += 1
                    row = field_row(procedure, question, order, page=page_row, block=block_row)
                    pending.append(({"field": row}, question.conditions))
            else:
                row = field_row(procedure, item, order, page=page_row)
                questions[item.name] = row
                pending.append(({"field": row}, item.conditions))
    for document_order, document in enumerate(definition.documents):
        row = DocumentRequirement.objects.create(
            procedure=procedure,
            label=document.label,
            help_text=document.help_text,
            order=document_order,
            condition_join=document.join,
        )
        pending.append(({"document": row}, document.conditions))
    Condition.objects.bulk_create(
        Condition(
            procedure=procedure,
            source=questions.get(rule.source),
            operator=rule.operator,
            value=rule.value,
            **target,
        )
        for target, rules in pending
        for rule in rules
    )


def field_row(procedure, question: Question, order: int, **place) -> ProcedureField:
    values = asdict(question)
    for key in ("conditions", "join", "choices"):
        values.pop(key)
    for key in ("minimum", "maximum"):
        values[key] = Decimal(values[key]) if values[key] is not None else None
    return ProcedureField.objects.create(
        procedure=procedure,
        order=order,
        condition_join=question.join,
        choices="\n".join(question.choices),
        **values,
        **place,
    )


__all__ = ["Document", "ImportRefused", "export_procedure", "import_procedure", "read"]
