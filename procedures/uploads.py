"""Supporting documents are recognised by their content, never by their name.

A file is accepted when it is wholly what its first bytes say: a PDF that parses, ends
where it says it ends and carries nothing that runs (JavaScript, an action on opening,
a program to launch, files inside), or an image that decodes to its last pixel (and,
for a PNG, has nothing after its end). A polyglot, a file that is also a web page, is
refused: clerks and citizens open these files.
"""

import re
import threading
import warnings
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

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

# What makes a browser or a viewer treat bytes as a page or a script. Each is long
# enough that compressed image data does not contain it by chance.
MARKUP_RE = re.compile(
    rb"<(?:script|html|body|iframe|object|embed|svg|!doctype)[\s>/]|javascript:", re.IGNORECASE
)
# PDF keys and actions that run something or carry files; a plain /OpenAction
# destination (« open at page 1 ») is only a page number and is accepted.
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFiles", "/EmbeddedFile"}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMedia"}
PDF_MAX_OBJECTS = 200_000
PNG_END = b"IEND\xaeB`\x82"
TRUNCATION_LOCK = threading.Lock()


class Refused(Exception):
    """The file is not what it claims to be, or carries something active."""


def pdf_objects(reader: PdfReader):
    """Every object reachable from the trailer, each indirect object once."""
    stack, seen = [reader.trailer], set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > PDF_MAX_OBJECTS:
                raise Refused("too many objects")
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too
            yield item
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def resolved(dictionary: DictionaryObject, key: str):
    value = dictionary.get(key)
    return value.get_object() if value is not None else None


def check_pdf(data: bytes, upload) -> None:
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + 5 :].strip(b"\r\n\t \x00"):
        raise Refused("data after the end of the PDF")
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Refused("encrypted")
        for dictionary in pdf_objects(reader):
            if PDF_ACTIVE_KEYS & set(dictionary):
                raise Refused("active content")
            if str(resolved(dictionary, "/S")) in PDF_ACTIVE_ACTIONS:
                raise Refused("active action")
            if isinstance(resolved(dictionary, "/OpenAction"), DictionaryObject):
                raise Refused("action on opening")
            if str(resolved(dictionary, "/Subtype")) in ("/FileAttachment", "/RichMedia"):
                raise Refused("attached file")
    except Refused:
        raise
    except Exception as error:  # hostile input: whatever breaks the parser refuses the file
        raise Refused("unreadable PDF") from error


@contextmanager
def truncated_images_refused():
    """WeasyPrint, once imported, lets Pillow accept truncated images everywhere
    (``ImageFile.LOAD_TRUNCATED_IMAGES``): refused again while a document is decoded.
    The lock keeps two checks from restoring the flag in each other's middle."""
    with TRUNCATION_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def check_image(data: bytes, upload, content_type: str) -> None:
    try:
        with warnings.catch_warnings(), truncated_images_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # decode every pixel: a truncated or forged image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise Refused("unreadable image") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # A small file claiming billions of pixels: a message of its own, the fix differs.
        raise ValidationError(
            TOO_MANY_PIXELS % {"name": upload.name}, code="too_many_pixels"
        ) from None
    if content_type == "image/png" and not data.endswith(PNG_END):
        raise Refused("data after the end of the image")


def sniff_content_type(upload) -> str | None:
    """The real type of the file from its content; None when it is refused."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = next((t for sig, t in SIGNATURES.items() if data.startswith(sig)), None)
    if content_type is None:
        return None
    try:
        if MARKUP_RE.search(data):
            raise Refused("markup")
        if content_type == "application/pdf":
            check_pdf(data, upload)
        else:
            check_image(data, upload, content_type)
    except Refused:
        return None
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
            _(
                "Le fichier « %(name)s » n'est pas un PDF, un JPEG ou un PNG, ou il contient "
                "autre chose qu'un document (script, pièce jointe, page web). Enregistrez-le "
                "à nouveau en PDF, JPEG ou PNG, ou photographiez le document."
            )
            % {"name": upload.name},
            code="bad_type",
        )
    return content_type
