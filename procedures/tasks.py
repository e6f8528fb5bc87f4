"""Background work of the procedures app."""

from celery import shared_task

from procedures import services
from procedures.models import Request


@shared_task
def purge_drafts() -> int:
    """Drafts are kept 30 days after their last change."""
    return services.drafts_purge()


@shared_task
def build_request_pdf(request_pk: int) -> None:
    """Build the PDF ahead of the citizen: WeasyPrint takes a tenth of a second of CPU,
    the cache a few ms. Nothing to do when the version is stored or being built."""
    from procedures.pdf import request_pdf_content

    request = Request.objects.filter(pk=request_pk).first()
    if request is not None and not request.is_draft:
        request_pdf_content(request)


@shared_task
def run_deadlines() -> str:
    """Reminders, closures, the clerks' digest and the silence rule (procedures.deadlines);
    a second run at the same time steps aside."""
    from common.locks import Busy, exclusive
    from procedures import deadlines

    try:
        with exclusive(deadlines.LOCK_NAME):
            return deadlines.deadlines_run().summary()
    except Busy:
        return "busy"
