"""Supporting documents are recognised by their content, never by their name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_SIZE = 10 * 1024 * 1024
MAX_DOCUMENTS_PER_REQUEST = 10
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
ALLOWED_HELP = _("PDF, JPEG ou PNG, 10 Mo au plus.")
TOO_MANY_PIXELS = _(
    "L'image « %(name)s » est trop grande en pixels : réduisez-la avant de l'envoyer."
)


def sniff_content_type(upload) -> str | None:
    """The real type of the file from its first bytes (and, for images, a full decode)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    content_type = next((t for sig, t in SIGNATURES.items() if head.startswith(sig)), None)
    if content_type and content_type.startswith("image/"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            content_type = None
        except Image.DecompressionBombError:  # A small file claiming billions of pixels.
            raise ValidationError(
                TOO_MANY_PIXELS % {"name": upload.name}, code="too_many_pixels"
            ) from None
        finally:
            upload.seek(0)
    return content_type


def validate_upload(upload) -> str:
    """Return the detected content type, or raise a French message."""
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("Le fichier « %(name)s » dépasse 10 Mo.") % {"name": upload.name}, code="too_big"
        )
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("Le fichier « %(name)s » n'est pas un PDF, un JPEG ou un PNG.")
            % {"name": upload.name},
            code="bad_type",
        )
    return content_type
