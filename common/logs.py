"""One line per event; JSON when LOG_FORMAT=json, for the log collector.

Tracking codes of requests without an account are keys: whoever reads one in a log
follows the request. They travel in URLs (``/suivi/<code>/``, and the ``Referer`` of
the pages loaded from there), so every log line is masked before it is written. So
are the links of an email change (``/compte/adresse/confirmer|annuler/<token>/``) and
of an appointment's mail (``/rendez-vous/gerer/<token>/``: cancel, move).
"""

import json
import logging
import re

# Extra fields a log call may carry (logger.info(..., extra={"request_number": ...})).
CONTEXT_FIELDS = ("request_number", "account_id", "message_id", "payment_id")


# A tracking page's path in any spelling, and a code's shape wherever it appears
# (procedures/anonymous.py: four groups of four, without 0/O/1/I/L).
TRACKING_PATH_RE = re.compile(
    r"(/suivi/|/adresse/(?:confirmer|annuler)/|/rendez-vous/gerer/)[^/\s\"'?#]+"
)
TRACKING_CODE_RE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}(?:-[2-9A-HJKMNP-Z]{4}){3}\b")
MASKED_PATH = r"\1***"
MASKED_CODE = "****-****-****-****"


def mask_tracking_codes(text: str) -> str:
    return TRACKING_CODE_RE.sub(MASKED_CODE, TRACKING_PATH_RE.sub(MASKED_PATH, text))


class MaskTrackingCodes(logging.Filter):
    """On the handler, so that every logger's records pass through it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tracking_codes(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({f: getattr(record, f) for f in CONTEXT_FIELDS if hasattr(record, f)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info).replace("\n", " | ")
        return json.dumps(entry, ensure_ascii=False, default=str)


class OneLineFormatter(logging.Formatter):
    """Tracebacks folded on one line, so that one event is one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = " ".join(
            f"{f}={getattr(record, f)}" for f in CONTEXT_FIELDS if hasattr(record, f)
        )
        return (f"{line} {context}" if context else line).replace("\n", " | ")
