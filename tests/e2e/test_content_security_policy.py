"""The CSP holds in a real Chromium, and Chromium's reports are what conftest.py watches for."""

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, is_csp_violation

INJECTION = """
document.body.insertAdjacentHTML(
  "beforeend",
  '<p id="injected" style="color: rgb(255, 0, 0)">x</p>'
    + '<img src="/static/favicon.svg" onload="window.pwned = true">'
    + '<scr' + 'ipt>window.pwned = true</scr' + 'ipt>'
);
"""


def test_injected_inline_script_and_style_are_refused_and_reported(live_server, browser):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    reports = []
    context.on("console", lambda message: reports.append(message.text))
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.evaluate(INJECTION)
        page.wait_for_function("document.querySelector('#injected')")
        page.wait_for_timeout(300)
        assert page.evaluate("window.pwned") is None
        color = page.evaluate("getComputedStyle(document.querySelector('#injected')).color")
        assert color != "rgb(255, 0, 0)"
        assert any(is_csp_violation(text) for text in reports), reports
    finally:
        context.close()


def test_a_file_opened_on_its_own_shows_without_violation(live_server, page):
    """The captcha's picture in a tab of its own: Chromium's viewer page, no violation
    reported (the fixture fails the test otherwise)."""
    page.goto(live_server.url + "/compte/creer/")
    source = page.locator("img.captcha__image").get_attribute("src")
    response = page.goto(live_server.url + source)
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    page.wait_for_timeout(300)
