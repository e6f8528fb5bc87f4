"""Every fieldset of an admin page has a name: one without renders no heading, and screen
readers announce an unnamed group (the audit's finding on the admin's first fieldsets)."""

from django.utils.text import capfirst


class NamedFieldsetsMixin:
    def get_fieldsets(self, request, obj=None):
        fallback = capfirst(self.opts.verbose_name)
        return [
            (name if name is not None else fallback, options)
            for name, options in super().get_fieldsets(request, obj)
        ]
