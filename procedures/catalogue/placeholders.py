"""The placeholders of a decision document's text: a fixed list, never template code.

A clerk of « Administration fonctionnelle » writes « Monsieur ou Madame {demandeur} est
autorisé(e)… »; the text is never given to Django's template engine, so nothing a clerk
writes can run, reach an object or print what the list does not name. Filling is one
pass of a regular expression: a citizen's answer that contains « {numero} » or
« {{ … }} » is printed as it is, and the HTML of the document escapes it.
"""

import re

from django.utils.translation import gettext_lazy as _

# name → what it prints (the admin's help lists them).
PLACEHOLDERS = {
    "demandeur": _("le nom du demandeur"),
    "personne_concernee": _("la personne concernée"),
    "adresse": _("l'adresse du demandeur"),
    "demarche": _("le titre de la démarche"),
    "numero": _("le numéro de la demande"),
    "date_reception": _("la date de réception"),
    "date_decision": _("la date de la décision"),
    "date_fixee": _("la date fixée par la mairie"),
    "commentaire": _("le commentaire de l'agent à la décision"),
}
# « {reponse:immatriculation} »: the answer to the procedure's field of that technical name.
ANSWER_PREFIX = "reponse:"
PATTERN = re.compile(r"\{([^{}]*)\}")
STRAY_BRACE = re.compile(r"[{}]")


def placeholder_help() -> str:
    names = ", ".join(f"{{{name}}} ({label})" for name, label in PLACEHOLDERS.items())
    return str(
        _(
            "Texte simple. Repères remplacés : %(names)s, et {reponse:nom_technique} pour la "
            "réponse à un champ de la démarche. Tout autre repère est refusé."
        )
        % {"names": names}
    )


def unknown_placeholders(text: str, field_names: set[str]) -> list[str]:
    """What ``text`` names that the fixed list does not (a brace alone counts too)."""
    unknown = []
    for match in PATTERN.finditer(text):
        name = match.group(1)
        if name in PLACEHOLDERS:
            continue
        if name.startswith(ANSWER_PREFIX) and name[len(ANSWER_PREFIX) :] in field_names:
            continue
        unknown.append(match.group(0))
    if STRAY_BRACE.search(PATTERN.sub("", text)):
        unknown.append("{ }")
    return unknown


def fill(text: str, values: dict[str, str], answers: dict[str, str]) -> str:
    """``text`` with each placeholder replaced once by its value (plain text, unescaped:
    the document's template escapes it)."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith(ANSWER_PREFIX):
            return answers.get(name[len(ANSWER_PREFIX) :], "")
        return values.get(name, match.group(0))

    return PATTERN.sub(value, text)
