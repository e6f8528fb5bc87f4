from django.urls import path

from payments import simulator_views, views

app_name = "payments"

urlpatterns = [
    path("", views.payments_tab, name="index"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("panier/", views.basket, name="basket"),
    path("panier/ajouter/<int:invoice_pk>/", views.basket_add, name="basket_add"),
    path("panier/retirer/<int:invoice_pk>/", views.basket_remove, name="basket_remove"),
    path("panier/payer/", views.basket_pay, name="pay"),
    path("panier/abandonner/", views.payment_abandon, name="abandon"),
    path("paiement/<int:pk>/", views.payment_outcome, name="outcome"),
    path("paiement/<int:pk>/recu/", views.receipt_pdf, name="receipt_pdf"),
    path("paiement/<int:pk>/carte-simulee/", views.simulated_card, name="simulated_card"),
    path("paiement/<int:pk>/banque/", views.bank_form, name="bank_form"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    # A régie's backend (PayFiP's urlnotif, a bank's notification URL): README « Régies ».
    path("notification/<slug:code>/", views.eopayment_notification, name="eopayment_notification"),
    # The simulated PayFiP (DEBUG or PAYFIP_ALLOW_SIMULATED only).
    path("payfip-simule/securite", simulator_views.web_service, name="payfip_simulator_ws"),
    path("payfip-simule/paiement", simulator_views.payment_page, name="payfip_simulator_page"),
]
