"""One line per event; JSON when LOG_FORMAT=json, for the log collector."""

import json
import logging

# Extra fields a log call may carry (logger.info(..., extra={"request_number": ...})).
CONTEXT_FIELDS = ("request_number", "account_id", "message_id", "payment_id")


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
