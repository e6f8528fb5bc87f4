"""The retention periods as « Données personnelles » words them, read from settings.

The page and ``privacy.retention`` read the same settings: change a period in one
place and both follow.
"""

from django.conf import settings
from django.utils.translation import ngettext

DAYS_PER_MONTH = 365.25 / 12


def duration(days: int) -> str:
    """« 1 an », « 5 ans », « 6 mois », « 30 jours »: what a reader expects."""
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    months = round(days / DAYS_PER_MONTH)
    if days >= 60 and abs(days - months * DAYS_PER_MONTH) <= 1.5:
        return ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months}
    return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}


def hours(count: int) -> str:
    return ngettext("%(n)d heure", "%(n)d heures", count) % {"n": count}


def retention_periods() -> dict[str, str]:
    """Every period of the page's table, in words."""
    temporary_hours = int(settings.TEMPORARY_PASSWORD_VALIDITY.total_seconds() // 3600)
    return {
        "account": duration(settings.ACCOUNT_INACTIVITY_DAYS),
        "account_notice": duration(settings.ACCOUNT_DELETION_NOTICE_DAYS),
        "drafts": duration(settings.DRAFT_RETENTION_DAYS),
        "requests": duration(365 * settings.REQUEST_RETENTION_YEARS),
        "anonymous_requests": duration(settings.ANONYMOUS_REQUEST_RETENTION_DAYS),
        "invoices": duration(365 * settings.INVOICE_RETENTION_YEARS),
        "appointments": duration(settings.APPOINTMENT_RETENTION_DAYS),
        "sent_messages": duration(settings.SENT_MESSAGE_RETENTION_DAYS),
        "failed_messages": duration(settings.FAILED_MESSAGE_RETENTION_DAYS),
        "temporary_password": hours(temporary_hours),
        "login_attempts": duration(settings.LOGIN_ATTEMPT_RETENTION_DAYS),
        "access_journal": duration(settings.ACCESS_JOURNAL_RETENTION_DAYS),
        "technical_logs": duration(settings.TECHNICAL_LOG_RETENTION_DAYS),
        "history_values": duration(settings.HISTORY_VALUES_RETENTION_DAYS),
        "data_export": hours(settings.DATA_EXPORT_LIFETIME_HOURS),
        "session": hours(settings.SESSION_COOKIE_AGE // 3600),
    }
