import json
import logging

from common.logs import JsonFormatter, OneLineFormatter


def record(message="Demande envoyée", **extra):
    entry = logging.LogRecord("procedures", logging.INFO, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(entry, key, value)
    return entry


def test_json_logs_are_one_object_per_line_with_the_request_number():
    line = JsonFormatter().format(record(request_number="2026-000123", account_id=7))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Demande envoyée"
    assert entry["request_number"] == "2026-000123" and entry["account_id"] == 7


def test_plain_logs_fold_tracebacks_on_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        entry = record()
        entry.exc_info = sys.exc_info()
    line = OneLineFormatter("%(levelname)s %(message)s").format(entry)
    assert "\n" not in line and "ValueError: boom" in line
