"""django-csp's middleware, with a policy of its own for PDFs shown in the browser.

Chromium shows a PDF in a page it builds around the file, with inline styles and a
plugin: under the portal's policy (``default-src 'none'``, ``object-src 'none'``) that
page stays blank. A PDF response keeps ``frame-ancestors 'none'`` only, so that no other
site frames it; the policy of every other response is the one in settings.
"""

from csp.constants import NONE
from csp.middleware import CSPMiddleware, PolicyParts

PDF_POLICY = {"frame-ancestors": [NONE]}


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if response.get("Content-Type", "").startswith("application/pdf"):
            parts.config, parts.update, parts.replace = PDF_POLICY, None, None
        return parts
