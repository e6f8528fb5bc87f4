"""Dates and times of appointments in French words, on the Paris clock."""

from datetime import datetime

from django.utils import timezone

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def day_in_words(day) -> str:
    """« samedi 28 mars 2026 » (« 1er » for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


def time_in_words(moment: datetime) -> str:
    """« 9 h 30 », on the Paris clock."""
    local = timezone.localtime(moment)
    return f"{local.hour} h {local.minute:02d}"


def moment_in_words(moment: datetime) -> str:
    """« samedi 28 mars 2026 à 9 h 30 »."""
    local = timezone.localtime(moment)
    return f"{day_in_words(local.date())} à {time_in_words(local)}"
