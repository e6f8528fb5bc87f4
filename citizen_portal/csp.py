"""django-csp's middleware, with a policy of its own for files the browser shows itself.

Chromium shows a PDF, a sound or a picture opened on its own in a page that it builds
around the file, with inline styles (and, for a PDF, a plugin): under the portal's
policy (``default-src 'none'``, ``object-src 'none'``) that page is blank or broken.
Such a response keeps ``frame-ancestors 'none'`` only, so that no other site frames
it. SVG stays under the full policy: an SVG file can carry scripts.
"""

from csp.constants import NONE
from csp.middleware import CSPMiddleware, PolicyParts

SHOWN_BY_THE_BROWSER = (
    "application/pdf",
    "audio/",
    "video/",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
)
VIEWER_POLICY = {"frame-ancestors": [NONE]}


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if response.get("Content-Type", "").startswith(SHOWN_BY_THE_BROWSER):
            parts.config, parts.update, parts.replace = VIEWER_POLICY, None, None
        return parts
