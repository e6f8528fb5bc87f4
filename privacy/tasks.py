"""Background work of « Données personnelles »: thin tasks that call the services."""

from celery import shared_task

from privacy import exports, retention


@shared_task
def build_data_export(export_pk: int) -> bool:
    """The citizen's archive: documents and all, possibly large, so never in the page."""
    return exports.data_export_build(pk=export_pk)


@shared_task
def purge() -> dict:
    """Every retention period of « Données personnelles » (nightly; ``manage.py purge``)."""
    return retention.purge_all()
