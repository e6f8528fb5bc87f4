from django.urls import path

from payments import views

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
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
