"""Responses that carry a citizen's file (a PDF, a supporting document).

Such a file is personal: no shared cache may keep it (``private, no-store``) and no
browser may guess another type than the one we state (``nosniff``), which would let an
uploaded file run as a page of the site.
"""

from io import BytesIO
from typing import IO

from django.http import FileResponse


def private_file_response(
    content: bytes | IO[bytes], *, filename: str, content_type: str, as_attachment: bool
) -> FileResponse:
    """``content`` (bytes, or an open file that the response closes) under ``filename``."""
    response = FileResponse(
        BytesIO(content) if isinstance(content, bytes) else content,
        as_attachment=as_attachment,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
