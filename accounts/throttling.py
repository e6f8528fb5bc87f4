"""How django-axes recognises the identifier of an attempt, and counts attempts cheaply.

Axes' database handler asks PostgreSQL more than a login needs: one sum of failures per
lockout parameter (the identifier, then the address), a sweep of every expired attempt
at each successful login, and a select-then-delete of the citizen's attempts even when
there are none. ``LoginThrottle`` keeps every rule and asks less (settings.AXES_HANDLER):

- the failures of the identifier and of the address in one query;
- expired attempts are swept before a failure is recorded (that is when an old row
  would otherwise be counted again), in one DELETE, and by ``purge`` after
  LOGIN_ATTEMPT_RETENTION_DAYS; they are never counted in between (the cool-off
  threshold filters them out);
- a successful login deletes the attempts of its identifier and address only when it
  counted some a moment before (when it did not count, as after FranceConnect, it
  deletes them anyway).

Every login, known account or not, runs the same queries up to the password check: the
count, then the account's lookup.
"""

import functools
import operator

from axes.attempts import get_cool_off_threshold
from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_session_hash, get_client_username
from axes.models import AccessAttempt, AccessLog
from django.db import router
from django.db.models import Q, Sum

from accounts.identifiers import normalize_identifier

# Set on the request by the count before the password check, read after a success.
FAILURES_COUNTED = "throttling_failures_counted"


def attempted_identifier(request, credentials=None) -> str | None:
    """The identifier, normalised: « ABC » and « abc  » must count as the same account."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username") or request.POST.get("identifier")
    return normalize_identifier(raw) if raw else None


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with fewer queries per login; the same lockouts."""

    def lockout_filters(self, request, credentials=None) -> list[Q]:
        """One filter per lockout parameter (AXES_LOCKOUT_PARAMETERS), as axes builds them."""
        username = get_client_username(request, credentials)
        parameters = get_client_parameters(
            username, request.axes_ip_address, request.axes_user_agent, request, credentials
        )
        return [Q(**kwargs) for kwargs in parameters]

    def get_failures(self, request, credentials=None) -> int:
        """The highest count of recent failures among the lockout parameters, in one query."""
        filters = self.lockout_filters(request, credentials)
        attempts = AccessAttempt.objects.filter(functools.reduce(operator.or_, filters))
        if axes_settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        sums = attempts.aggregate(
            **{
                f"by_{index}": Sum("failures_since_start", filter=condition)
                for index, condition in enumerate(filters)
            }
        )
        failures = max((total or 0) for total in sums.values())
        setattr(request, FAILURES_COUNTED, failures)
        return failures

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        """Expired attempts in one DELETE: axes reads them first for a signal only its
        cache handler listens to."""
        if axes_settings.AXES_COOLOFF_TIME is None or axes_settings.AXES_USE_ATTEMPT_EXPIRATION:
            return super().clean_expired_user_attempts(request, credentials)
        expired = AccessAttempt.objects.filter(attempt_time__lte=get_cool_off_threshold(request))
        return expired._raw_delete(router.db_for_write(AccessAttempt))

    def user_logged_in(self, sender, request, user, **kwargs):
        """The access log's row (kept TECHNICAL_LOG_RETENTION_DAYS, then purged), and the
        reset of the failures this login counted, if it counted any."""
        if getattr(request, FAILURES_COUNTED, None) == 0:
            self.record_access(request, user)
            return
        super().user_logged_in(sender, request, user, **kwargs)

    def record_access(self, request, user) -> None:
        """What axes writes for every successful login, without its sweep and reset."""
        if axes_settings.AXES_DISABLE_ACCESS_LOG:
            return
        AccessLog.objects.create(
            username=user.get_username(),
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
            http_accept=request.axes_http_accept,
            path_info=request.axes_path_info,
            attempt_time=request.axes_attempt_time,
            session_hash=get_client_session_hash(request),
        )
