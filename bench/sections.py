"""Sections of bench/RESULTS.md that one kind of run writes between two markers, and the
others keep: the rush's (bench/rush_report.py), the scale-out's (bench/scale_out.py)."""

from pathlib import Path


def kept(path: Path, start: str, end: str) -> str:
    """The section between ``start`` and ``end`` already in the file, markers included."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        return start + text.split(start, 1)[1].split(end, 1)[0] + end + "\n"
    return ""


def splice(path: Path, start: str, end: str, section: str) -> None:
    """Put ``section`` in the file, in place of the one there or at its end."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Load benchmark: results\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
