"""Helpers shared by the models whose state is a protected django-fsm field."""

from typing import TYPE_CHECKING

from django.db import models
from django_fsm import FSMFieldMixin

# For the type checker the mixin is a model (it only ever is mixed into one).
if TYPE_CHECKING:
    _Model = models.Model
else:
    _Model = object


class RefreshableStateMixin(_Model):
    """Let ``refresh_from_db`` reload protected FSM fields.

    A protected field refuses any assignment once loaded; reloading from the
    database is not a transition, so the loaded value is dropped first. Unlike
    django-fsm's ``FSMModelMixin`` this touches only the instance, never the
    shared field, so it is safe under threads.
    """

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        if fields is None:
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
        for field in self._meta.concrete_fields:
            if isinstance(field, FSMFieldMixin) and field.protected and field.attname in fields:
                self.__dict__.pop(field.attname, None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
