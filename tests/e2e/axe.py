"""Accessibility checks with axe-core, limited to WCAG 2.1 levels A and AA (the RGAA base)."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def _target(node: dict) -> str:
    # A target is a list of selectors; a nested list points into an iframe or shadow DOM.
    parts = []
    for selector in node.get("target", []):
        parts.append(" >>> ".join(selector) if isinstance(selector, list) else str(selector))
    return " | ".join(parts)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} violation(s) axe (WCAG 2.1 A/AA) sur {url} :"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'impact inconnu'}) : "
            f"{violation['help']} — {violation.get('helpUrl', '')}"
        )
        for node in violation.get("nodes", []):
            lines.append(f"    cible : {_target(node)}")
            html = " ".join((node.get("html") or "").split())
            if html:
                lines.append(f"      html : {html[:300]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail with a readable list of violations when axe finds any on the current page."""
    page.wait_for_load_state("load")
    violations = _axe.run(page, options=OPTIONS).response["violations"]
    assert not violations, format_violations(page.url, violations)
