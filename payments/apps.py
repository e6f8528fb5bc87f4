from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Paiements"

    def ready(self):
        from notifications.attachments import attachment_builder_register
        from payments import notify

        attachment_builder_register(notify.RECEIPT, notify.receipt_attachment)

        checks.register(simulated_provider_in_production, checks.Tags.security)

        from payments import statistics

        statistics.register()


def simulated_provider_in_production(app_configs, **kwargs):
    """The simulated card page marks invoices paid without any money: a demo tool only."""
    if settings.DEBUG or settings.PAYMENT_PROVIDER != "simulated":
        return []
    return [
        checks.Warning(
            "Le paiement simulé est actif alors que DEBUG est désactivé : les factures "
            "peuvent être marquées payées sans aucun encaissement.",
            hint="Définissez STRIPE_SECRET_KEY et STRIPE_WEBHOOK_SECRET en production.",
            id="payments.W001",
        )
    ]
