from django.urls import path

from procedures.catalogue import views as catalogue
from procedures.views import anonymous, decisions, drafts, pdf, requests

app_name = "procedures"

urlpatterns = [
    path("services-en-ligne/", catalogue.catalogue, name="catalogue"),
    path("services-en-ligne/theme/<slug:slug>/", catalogue.theme, name="theme"),
    path("services-en-ligne/demarche/<slug:slug>/", drafts.start, name="start"),
    path("demandes/brouillon/<int:pk>/modifier/", drafts.edit, name="edit"),
    path("demandes/brouillon/<int:pk>/page/<int:number>/", drafts.page, name="page"),
    path("demandes/brouillon/<int:pk>/recapitulatif/", drafts.summary, name="summary"),
    path("demandes/brouillon/<int:pk>/supprimer/", drafts.delete, name="delete"),
    path("demandes/", requests.request_list, name="request_list"),
    path("demandes/<int:pk>/", requests.request_detail, name="detail"),
    path("demandes/<int:pk>/confirmation/", drafts.confirmation, name="confirmation"),
    path("demandes/<int:pk>/annuler/", requests.request_cancel, name="cancel"),
    path("demandes/<int:pk>/pdf/", pdf.request_pdf, name="pdf"),
    path("actes/<slug:slug>/", anonymous.start, name="anonymous_start"),
    path("suivi/<str:code>/envoyee/", anonymous.done, name="anonymous_done"),
    path("suivi/<str:code>/", anonymous.track, name="track"),
    path("suivi/<str:code>/pdf/", anonymous.track_pdf, name="track_pdf"),
    # Decision documents (issue 25): the citizen's own, and the public verification.
    path(
        "demandes/<int:pk>/decisions/<int:document_pk>/",
        decisions.decision_document,
        name="decision_document",
    ),
    path("verifier/<str:code>/", decisions.verify, name="verify"),
    path(
        "demandes/<int:pk>/documents/<int:document_pk>/",
        requests.document_download,
        name="document",
    ),
]
