"""Failed messages, with their error, and the templates of « Information » messages."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.scoping import ScopedAdminMixin
from notifications import services
from notifications.models import Message, MessageStatus, MessageTemplate


@admin.register(Message)
class MessageAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "subject",
        "to_email",
        "kind",
        "status",
        "attempts",
        "send_after",
        "short_error",
    )
    list_filter = ("status", "kind", "send_after")
    search_fields = ("subject", "to_email", "topic", "account__identifier", "account__last_name")
    date_hierarchy = "send_after"
    list_select_related = ("account",)
    actions = ["resend"]
    readonly_fields = [field.name for field in Message._meta.fields]
    exclude = ("dedupe_key", "attachment_builder", "attachment_arg")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("erreur"))
    def short_error(self, message):
        return message.last_error[:80]

    @admin.action(
        description=_("Renvoyer les messages en échec sélectionnés"), permissions=["change"]
    )
    def resend(self, request, queryset):
        pks = list(queryset.filter(status=MessageStatus.FAILED).values_list("pk", flat=True))
        count = services.messages_resend(pks=pks)
        self.message_user(
            request,
            ngettext("%d message remis en envoi.", "%d messages remis en envoi.", count) % count,
            messages.SUCCESS,
        )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title",)
    search_fields = ("title", "body")
