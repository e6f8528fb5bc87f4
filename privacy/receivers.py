"""Files follow their rows, whatever deletes the row: a service, a cascade, the admin."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from common.files import file_delete_on_commit, file_written
from privacy.models import DataExport
from procedures.models import Request, RequestDocument


@receiver(post_save, sender=RequestDocument)
@receiver(post_save, sender=DataExport)
def remember_written_file(sender, instance, created, **kwargs):
    if instance.file:
        file_written(instance.file.storage, instance.file.name)


@receiver(post_delete, sender=RequestDocument)
@receiver(post_delete, sender=DataExport)
def delete_file_with_row(sender, instance, **kwargs):
    if instance.file:
        file_delete_on_commit(instance.file.storage, instance.file.name)


@receiver(post_delete, sender=Request)
def delete_cached_pdfs_with_request(sender, instance, **kwargs):
    from procedures.pdf import pdf_delete_all

    pk = instance.pk
    transaction.on_commit(lambda: pdf_delete_all(pk), robust=True)
