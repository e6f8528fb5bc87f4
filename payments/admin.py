"""Clerks see and correct invoices here; payments are read, and asked of the provider again.

Changes go through ``payments.services`` so that each leaves its history row and
no paid invoice, nor one being paid, ever changes.
"""

from django import forms
from django.conf import settings
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
    Provider,
    ProviderEvent,
    Regie,
    RegieClerk,
    RegieDomain,
)
from payments.providers.base import ProviderError
from payments.regie_settings import SECRET_PARAMETERS, secret_names_set
from payments.scoping import regie_ids_of, within_regies
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
            "regie",
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

    def __init__(self, *args, regie_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regie_ids is not None and "regie" in self.fields:
            # A clerk limited to some régies creates invoices of those only.
            self.fields["regie"].queryset = Regie.objects.filter(pk__in=regie_ids)
            self.fields["regie"].required = True


@admin.register(Invoice)
class InvoiceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = InvoiceForm
    list_display = (
        "number",
        "household",
        "member_name",
        "domain",
        "regie",
        "label",
        "amount",
        "issue_date",
        "due_date",
        "state",
    )
    list_filter = ("state", "regie", "domain", "issue_date")
    search_fields = (
        "number",
        "label",
        "member_name",
        "debtor_name",
        "household__account__identifier",
        "household__account__last_name",
    )
    list_select_related = ("household__account", "regie")
    date_hierarchy = "issue_date"
    raw_id_fields = ("household", "member")
    inlines = [InvoiceEventInline]
    actions = ["cancel_selected", "settle_selected_at_counter"]
    # debtor_name: written when the account is closed (privacy), never typed.
    ALWAYS_READ_ONLY = ("state", "paid_at", "payment", "debtor_name", "created_at", "updated_at")

    def get_queryset(self, request):
        """A clerk limited to some régies sees their invoices only (payments.scoping)."""
        return within_regies(super().get_queryset(request), request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        regie_ids = regie_ids_of(request.user)

        class ScopedForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, regie_ids=regie_ids, **inner)

        return ScopedForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.ALWAYS_READ_ONLY
        if obj.state != InvoiceState.TO_PAY:  # Never changed once paid or cancelled.
            return (*InvoiceForm.Meta.fields, *self.ALWAYS_READ_ONLY)
        # The régie is chosen once: a basket or a payment holds an invoice by its régie.
        return ("number", "household", "regie", *self.ALWAYS_READ_ONLY)

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
        "regie",
        "amount",
        "state",
        "provider",
        "provider_reference",
        "created_at",
        "paid_at",
        "refund_due",
    )
    list_filter = ("state", "regie", "provider", RefundDueFilter)
    search_fields = (
        "provider_reference",
        "household__account__identifier",
        "household__account__last_name",
    )
    list_select_related = ("household__account", "regie")
    date_hierarchy = "created_at"
    inlines = [PaymentLineInline, PaymentEventInline]
    actions = ["settle_selected"]

    def get_queryset(self, request):
        return within_regies(super().get_queryset(request), request.user)

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

    def get_queryset(self, request):
        return within_regies(super().get_queryset(request), request.user, path="payment__regie")


class RegieDomainInline(admin.TabularInline):
    model = RegieDomain
    extra = 1


class RegieClerkInline(admin.TabularInline):
    """Who works for the régie: grants rights, so superusers alone see it."""

    model = RegieClerk
    extra = 0
    raw_id_fields = ("user",)


class WriteOnlyTextarea(forms.Textarea):
    """Always empty: a secret typed in a form refused for another field is not sent back
    in the page (it is typed again)."""

    def format_value(self, value):
        return None


class RegieForm(forms.ModelForm):
    """The secrets are typed, never shown: the field is empty on every page, and only the
    names of the secrets already set are listed beside it."""

    new_secrets = forms.CharField(
        label=_("Nouvelles clés secrètes"),
        required=False,
        widget=WriteOnlyTextarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_(
            "Une clé par ligne, « nom=valeur » (noms d'eopayment : %(names)s). Laissé vide, "
            "rien ne change ; « nom= » efface une clé. Les valeurs ne sont plus jamais "
            "affichées, pas même après une erreur : retapez-les alors. Une variable "
            "d'environnement REGIE_<CODE>_<NOM> (ou _FILE) prime."
        )
        % {"names": ", ".join(sorted(SECRET_PARAMETERS))},
    )

    class Meta:
        model = Regie
        fields = ["name", "code", "backend", "payfip_numcli", "payfip_mode", "options"]

    def clean_new_secrets(self) -> dict[str, str]:
        secrets: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["new_secrets"].splitlines(), 1):
            if not line.strip():
                continue
            name, equals, value = line.partition("=")
            name = name.strip()
            if not equals or name not in SECRET_PARAMETERS:
                raise forms.ValidationError(
                    _("Ligne %(number)d : « nom=valeur » attendu, avec un nom parmi : %(names)s.")
                    % {"number": number, "names": ", ".join(sorted(SECRET_PARAMETERS))}
                )
            secrets[name] = value.strip()
        return secrets

    def clean_options(self):
        options = self.cleaned_data["options"] or {}
        if not isinstance(options, dict):
            raise forms.ValidationError(_('Un objet JSON est attendu : {"nom": "valeur"}.'))
        secret = sorted(set(options) & SECRET_PARAMETERS)
        if secret:
            raise forms.ValidationError(
                _("Ces clés sont secrètes : saisissez-les dans « Nouvelles clés secrètes » : %s")
                % ", ".join(secret)
            )
        return options

    def clean_backend(self):
        backend = self.cleaned_data["backend"]
        if backend == Provider.PAYFIP_SIMULATED and not settings.PAYFIP_SIMULATOR_ENABLED:
            raise forms.ValidationError(
                _(
                    "PayFiP simulé n'est possible qu'en démonstration "
                    "(DEBUG ou PAYFIP_ALLOW_SIMULATED)."
                )
            )
        return backend


@admin.register(Regie)
class RegieAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Superusers declare the régies and their contracts; a clerk of the « Régie » role
    reads those he works for (the notification URL to give the DGFiP), never a secret."""

    form = RegieForm
    list_display = ("name", "code", "backend", "payfip_mode")
    search_fields = ("name", "code")
    inlines = [RegieDomainInline, RegieClerkInline]
    readonly_fields = ("secrets_set", "notification_url")

    @admin.display(description=_("clés secrètes enregistrées"))
    def secrets_set(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        names = secret_names_set(obj)
        return ", ".join(names) if names else _("aucune")

    @admin.display(description=_("adresse de notification à déclarer"))
    def notification_url(self, obj):
        from payments.providers.eopayment_provider import notification_url

        if obj is None or obj.pk is None:
            return _("donnée après l'enregistrement")
        return notification_url(obj)

    def get_fields(self, request, obj=None):
        fields = ["name", "code", "backend", "payfip_numcli", "payfip_mode", "options"]
        if not self.has_change_permission(request, obj):
            return [*fields, "notification_url"]
        return [*fields, "new_secrets", "secrets_set", "notification_url"]

    def get_inlines(self, request, obj):
        return self.inlines if request.user.is_superuser else [RegieDomainInline]

    def get_queryset(self, request):
        return within_regies(super().get_queryset(request), request.user, path="pk")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        # The « Régie » role's work: the payments of its régies.
        user = request.user
        return user.is_active and (user.is_superuser or user.has_perm("payments.view_payment"))

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        secrets = dict(obj.secrets or {})
        for name, value in form.cleaned_data.get("new_secrets", {}).items():
            if value:
                secrets[name] = value
            else:
                secrets.pop(name, None)
        obj.secrets = secrets
        super().save_model(request, obj, form, change)

    def get_changeform_initial_data(self, request):
        return {"options": {}}
