"""Clerks see and correct invoices here; payments are read, and asked of the provider again.

Changes go through ``payments.services`` so that each leaves its history row and
no paid invoice, nor one being paid, ever changes.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.scoping import ScopedAdminMixin
from common.read_only_admin import ReadOnlyAdminMixin, ReadOnlyInline
from payments.models import (
    Invoice,
    InvoiceEvent,
    InvoiceState,
    Payment,
    PaymentEvent,
    PaymentLine,
    PaymentState,
    ProviderEvent,
)
from payments.providers.base import ProviderError
from payments.services import invoices as invoice_services
from payments.services.payment import payment_settle

ADMIN_NOTE = "Saisie dans l'administration"


class InvoiceEventInline(ReadOnlyInline):
    model = InvoiceEvent
    fields = ("at", "kind", "actor", "note", "changes")
    readonly_fields = fields


class InvoiceForm(forms.ModelForm):
    class Meta:
        model = Invoice
        fields = [
            "number",
            "household",
            "member",
            "member_name",
            "domain",
            "label",
            "period",
            "amount",
            "issue_date",
            "due_date",
        ]

    def clean(self):
        """The invoice's own rules are the model's (``Invoice.clean``), run as the form
        validates; here only what a clerk is told before the service refuses it."""
        data = super().clean()
        if self.instance.pk and invoice_services.is_being_paid(self.instance):
            raise forms.ValidationError(invoice_services.BEING_PAID)
        return data


@admin.register(Invoice)
class InvoiceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = InvoiceForm
    list_display = (
        "number",
        "household",
        "member_name",
        "domain",
        "label",
        "amount",
        "issue_date",
        "due_date",
        "state",
    )
    list_filter = ("state", "domain", "issue_date")
    search_fields = (
        "number",
        "label",
        "member_name",
        "debtor_name",
        "household__account__identifier",
        "household__account__last_name",
    )
    list_select_related = ("household__account",)
    date_hierarchy = "issue_date"
    raw_id_fields = ("household", "member")
    inlines = [InvoiceEventInline]
    actions = ["cancel_selected", "settle_selected_at_counter"]
    # debtor_name: written when the account is closed (privacy), never typed.
    ALWAYS_READ_ONLY = ("state", "paid_at", "payment", "debtor_name", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.ALWAYS_READ_ONLY
        if obj.state != InvoiceState.TO_PAY:  # Never changed once paid or cancelled.
            return (*InvoiceForm.Meta.fields, *self.ALWAYS_READ_ONLY)
        return ("number", "household", *self.ALWAYS_READ_ONLY)

    def save_model(self, request, obj, form, change):
        # ``obj`` holds the form's values, already checked by Invoice.clean.
        if not change:
            created = invoice_services.invoice_create(
                household=obj.household,
                by=request.user,
                note=ADMIN_NOTE,
                **{
                    name: getattr(obj, name)
                    for name in InvoiceForm.Meta.fields
                    if name != "household"
                },
            )
            obj.pk, obj._state.adding = created.pk, False
            return
        editable = set(invoice_services.EDITABLE_FIELDS)
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in editable}
        if "member" in data:
            data["member_name"] = obj.member_name
        invoice_services.invoice_update(
            invoice=Invoice.objects.get(pk=obj.pk), by=request.user, note=ADMIN_NOTE, **data
        )

    def each(self, request, queryset, service, done_message):
        done = 0
        for invoice in queryset:
            try:
                service(invoice=invoice, by=request.user)
            except invoice_services.InvoiceRefused as refusal:
                self.message_user(request, f"{invoice.number} : {refusal}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Annuler les factures sélectionnées"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        self.each(
            request,
            queryset,
            invoice_services.invoice_cancel,
            lambda n: ngettext("%(n)d facture annulée.", "%(n)d factures annulées.", n) % {"n": n},
        )

    @admin.action(description=_("Marquer comme réglées au Guichet Unique"), permissions=["change"])
    def settle_selected_at_counter(self, request, queryset):
        self.each(
            request,
            queryset,
            invoice_services.invoice_settle_at_counter,
            lambda n: (
                ngettext("%(n)d facture marquée réglée.", "%(n)d factures marquées réglées.", n)
                % {"n": n}
            ),
        )


class PaymentLineInline(ReadOnlyInline):
    model = PaymentLine
    fields = ("invoice", "amount")
    readonly_fields = fields


class PaymentEventInline(ReadOnlyInline):
    model = PaymentEvent
    fields = ("at", "from_state", "to_state", "source", "actor", "note")
    readonly_fields = fields


class RefundDueFilter(admin.SimpleListFilter):
    title = _("à rembourser")
    parameter_name = "a_rembourser"

    def lookups(self, request, model_admin):
        return [("oui", _("Oui"))]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(refund_due__gt=0)
        return queryset


@admin.register(Payment)
class PaymentAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "household",
        "amount",
        "state",
        "provider",
        "provider_reference",
        "created_at",
        "paid_at",
        "refund_due",
    )
    list_filter = ("state", "provider", RefundDueFilter)
    search_fields = (
        "provider_reference",
        "household__account__identifier",
        "household__account__last_name",
    )
    list_select_related = ("household__account",)
    date_hierarchy = "created_at"
    inlines = [PaymentLineInline, PaymentEventInline]
    actions = ["settle_selected"]

    def has_settle_permission(self, request):
        return request.user.has_perm("payments.view_payment")

    @admin.action(description=_("Interroger le prestataire"), permissions=["settle"])
    def settle_selected(self, request, queryset):
        for payment in queryset.filter(state=PaymentState.PENDING):
            try:
                payment_settle(
                    payment=payment, source=PaymentEvent.Source.ADMIN, actor=request.user
                )
            except ProviderError as error:
                self.message_user(request, f"{payment} : {error}", messages.ERROR)
        self.message_user(request, _("Les paiements en attente ont été rapprochés."))


@admin.register(ProviderEvent)
class ProviderEventAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("event_id", "event_type", "provider", "payment", "received_at", "processed_at")
    list_filter = ("provider", "event_type")
    search_fields = ("event_id",)
    readonly_fields = list_display
