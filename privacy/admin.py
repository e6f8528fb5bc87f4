"""The front desk closes an account for a citizen who asks at the counter.

The accounts admin gains one page, « Fermer le compte », reached with
``privacy.close_account`` (role « Accueil »); it calls the very service the citizen's
« Fermer mon compte » calls. Staff accounts stay out of reach (404, as everywhere).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from accounts.admin import UserAdmin
from accounts.models import User
from backoffice import journal
from privacy import closure
from privacy.forms import FrontDeskClosureForm
from privacy.shredder import kept_after_closure


class ClosableUserAdmin(UserAdmin):
    change_form_template = "admin/privacy/user_change_form.html"

    def has_close_permission(self, request) -> bool:
        return request.user.has_perm("privacy.close_account")

    def get_urls(self):
        close = self.admin_site.admin_view(self.close_view)
        return [path("<int:pk>/fermer/", close, name="accounts_user_close"), *super().get_urls()]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_close"] = bool(obj and not obj.is_staff and self.has_close_permission(request))
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def close_view(self, request, pk):
        if not self.has_close_permission(request):
            raise PermissionDenied
        account = self.get_object(request, pk)
        running = list(closure.open_requests(account))
        refusal = closure.closure_refusal(account)
        form = FrontDeskClosureForm(request.POST or None, has_open_requests=bool(running))
        if request.method == "POST" and refusal is None and form.is_valid():
            try:
                closure.account_close(
                    account=account, by=request.user, cancel_open_requests=bool(running)
                )
            except closure.ClosureRefused as error:
                refusal = str(error)
            else:
                self.message_user(
                    request,
                    _("Le compte %(identifier)s est fermé ; un mail le confirme à la personne.")
                    % {"identifier": account.identifier},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:accounts_user_changelist"))
        journal.access_record(
            staff=request.user, kind=journal.Kind.ACCOUNT, obj=account, citizen=account
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Fermer le compte de %(name)s") % {"name": account},
            "opts": self.opts,
            "original": account,
            "form": form,
            "open_requests": running,
            "refusal": refusal,
            "kept": kept_after_closure(),
        }
        status = 409 if request.method == "POST" and refusal else 200
        return render(request, "admin/privacy/close_account.html", context, status=status)


admin.site.unregister(User)
admin.site.register(User, ClosableUserAdmin)
