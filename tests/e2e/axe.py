"""Accessibility checks on the current page: axe-core, limited to WCAG 2.1 levels A and AA
(the RGAA base), and reflow at 320 CSS px (RGAA 10.11, WCAG 1.4.10), which axe cannot see."""

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


REFLOW_WIDTH, REFLOW_HEIGHT = 320, 720  # 1280 px at 400 % zoom

# What sticks out of a 320 px window, the page's own horizontal scroll first. Whatever sits
# inside a container that scrolls by itself (a wide table's) is allowed to be wider.
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsItself = (element) => {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (/(auto|scroll)/.test(style.overflowX) && parent !== document.documentElement
          && parent !== document.body) return true;
    }
    return false;
  };
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !scrollsItself(element)) {
      wide.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}`
        + `${element.className && typeof element.className === "string"
             ? "." + element.className.trim().split(/\\s+/).join(".") : ""}`
        + ` (bord droit à ${Math.round(box.right)} px)`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


def page_overflow(page, width: int = REFLOW_WIDTH) -> dict:
    """The page's scroll width at ``width`` CSS px, and what sticks out (the viewport is put
    back as it was)."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": REFLOW_HEIGHT})
    try:
        return page.evaluate(_OVERFLOW_JS)
    finally:
        page.set_viewport_size(before)


def assert_reflows(page) -> None:
    """At 320 × 720 CSS px the page itself never scrolls sideways (RGAA 10.11)."""
    found = page_overflow(page)
    # The page's own scroll decides; what sticks out is listed to find the culprit (it may be
    # clipped out of sight, as a visually hidden table head is).
    assert found["scrollWidth"] <= found["width"], (
        f"{page.url} : à {REFLOW_WIDTH} px de large, la page fait {found['scrollWidth']} px "
        f"(défilement horizontal) ; dépassent : {', '.join(found['wide']) or 'rien de visible'}"
    )


def assert_accessible(page) -> None:
    """Fail with a readable list of violations when axe finds any on the current page, or
    when the page does not reflow at 320 px."""
    page.wait_for_load_state("load")
    violations = _axe.run(page, options=OPTIONS).response["violations"]
    assert not violations, format_violations(page.url, violations)
    assert_reflows(page)
