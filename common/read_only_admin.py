"""Admin pages of rows that services write (payments, histories, the journal).

Such a row is the trace of what happened: a clerk reads it, never adds, edits or
deletes it by hand, whatever permission a group was given, or the history would no
longer say what happened.
"""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """Rows that services write (payments, histories, the journal): read, never written
    by hand, whatever the permissions say."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A history shown under its object, as a table, without an empty row to fill."""

    extra = 0
    can_delete = False
