"""CSV files meant for a spreadsheet: a cell that starts like a formula stays text.

Citizens type what they like in forms (« =HYPERLINK(...) », « @SUM(...) »), and a
clerk opens the export in a spreadsheet, which would run it. Such a cell is written
with a leading apostrophe, as OWASP advises: the spreadsheet shows the text as typed
and runs nothing.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``neutralise``."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])
