"""Common « Information » messages, ready for the clerks of the demo."""

from notifications.models import MessageTemplate

TEMPLATES = {
    "Se présenter au Guichet Unique avec les pièces": (
        "Pour poursuivre l'instruction de votre demande, merci de vous présenter au Guichet "
        "Unique de la mairie avec les originaux des pièces justificatives demandées, "
        "du lundi au vendredi de 8 h 30 à 17 h 30."
    ),
    "Pièce justificative illisible": (
        "Le document que vous avez joint est illisible. Merci de le déposer à nouveau depuis la "
        "page de votre demande, ou de l'apporter au Guichet Unique."
    ),
    "Demande transmise au service compétent": (
        "Votre demande a été transmise au service compétent, qui reviendra vers vous dans les "
        "meilleurs délais."
    ),
}


def seed() -> int:
    for title, body in TEMPLATES.items():
        MessageTemplate.objects.update_or_create(title=title, defaults={"body": body})
    return len(TEMPLATES)
