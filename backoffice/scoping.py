"""What every admin of the portal shares: an object outside one's scope does not exist."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from backoffice.fieldsets import NamedFieldsetsMixin


class ScopedAdminMixin(NamedFieldsetsMixin):
    """403 without the permission, 404 for an object outside ``get_queryset``, on every
    page that names one.

    Django's admin redirects to the index with « doesn't exist » instead; for an
    object of another service or household that still says it exists. Change,
    history and delete pages and the custom views all come through ``get_object``.
    """

    def object_queryset(self, request):
        """Where ``get_object`` looks; an admin may add the joins its page needs."""
        return self.get_queryset(request)

    def get_object(self, request, object_id, from_field=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        queryset = self.object_queryset(request)
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError) as error:
            raise Http404 from error


class SuperuserOnlyMixin:
    """For what manages staff and rights (groups, devices, the journal): superusers alone,
    whatever permission a group may have been given by mistake."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    # Superusers get what the admin itself allows (axes' logs are never added by hand).

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_delete_permission(request, obj)
