"""« Saisie au guichet »: a clerk fills a request for a citizen who comes to the counter
or phones, through the same pages as the citizen, and sends it.

A clerk of « Accueil » may fill any procedure that needs an account; a clerk of a
service, the procedures of the themes its groups handle; both need
``procedures.enter_request``. The draft belongs to the citizen's account and records
who filled it (``Request.entered_by``): a clerk reaches only the counter drafts they
started, never a citizen's own drafts nor a sent request. Sending writes « Saisie au
guichet » in the history, with the clerk as its actor, and the citizen receives the
same acknowledgement as when sending it themselves. Civil-status certificates, which
need no account, are filled at the counter on their public form (« Services en
ligne »).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.identifiers import normalize_identifier
from accounts.models import AccountStatus, User
from backoffice.roles import COUNTER_PERMISSION, FRONT_DESK
from procedures import services
from procedures.catalogue.models import Theme
from procedures.models import Procedure, Request
from procedures.views.drafts import Filling, fill, summary_context


def counter_procedures(user) -> QuerySet[Procedure]:
    """What the clerk may fill at the counter."""
    procedures = Procedure.objects.published().filter(
        account_required=True, kind=Procedure.Kind.STANDARD
    )
    if user.is_superuser or user.groups.filter(name=FRONT_DESK.name).exists():
        return procedures
    return procedures.filter(theme__in=Theme.objects.filter(groups__in=user.groups.all()))


def counter_drafts(user) -> QuerySet[Request]:
    """The clerk's own counter drafts, of procedures they may still fill."""
    return Request.objects.drafts().filter(entered_by=user, procedure__in=counter_procedures(user))


def check_permission(request) -> None:
    if not request.user.has_perm(COUNTER_PERMISSION):
        raise PermissionDenied


class CounterStartForm(forms.Form):
    procedure = forms.ModelChoiceField(
        label=gettext_lazy("Démarche"), queryset=Procedure.objects.none()
    )
    identifier = forms.CharField(
        label=gettext_lazy("Identifiant du compte de l'usager"),
        max_length=40,
        help_text=gettext_lazy("Il figure en haut de l'onglet « Compte » de l'usager."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = counter_procedures(user).select_related("theme")

    def clean_identifier(self):
        identifier = normalize_identifier(self.cleaned_data["identifier"])
        account = User.objects.filter(
            identifier=identifier, is_staff=False, status=AccountStatus.VALIDATED
        ).first()
        if account is None:
            raise forms.ValidationError(_("Aucun compte validé d'usager n'a cet identifiant."))
        return account


def counter_page_url(draft, page: int) -> str:
    return reverse("admin:procedures_request_counter_page", args=[draft.pk, page + 1])


def counter_filling(request, model_admin, draft) -> Filling:
    return Filling(
        account=draft.account,
        by=request.user,
        page_url=counter_page_url,
        summary_url=lambda draft: reverse(
            "admin:procedures_request_counter_summary", args=[draft.pk]
        ),
        saved_url=reverse("admin:procedures_request_counter"),
        template="admin/procedures/request/counter_form.html",
        context={
            **model_admin.admin_site.each_context(request),
            "opts": Request._meta,
            "title": _("Saisie au guichet pour %(name)s") % {"name": draft.account.get_full_name()},
            "citizen": draft.account,
        },
    )


def start_view(request, model_admin):
    check_permission(request)
    form = CounterStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        draft = services.request_counter_start(
            procedure=form.cleaned_data["procedure"],
            account=form.cleaned_data["identifier"],
            by=request.user,
        )
        return redirect(counter_page_url(draft, 0))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Request._meta,
        "title": _("Saisie au guichet"),
        "form": form,
        "drafts": counter_drafts(request.user).select_related("procedure", "account")[:20],
    }
    return TemplateResponse(request, "admin/procedures/request/counter_start.html", context)


def page_view(request, model_admin, pk, number):
    check_permission(request)
    draft = get_object_or_404(
        counter_drafts(request.user).select_related("account").prefetch_related("documents"),
        pk=pk,
    )
    procedure = (
        Procedure.objects.filter(pk=draft.procedure_id)
        .select_related("theme")
        .prefetch_related("pages", "blocks", "fields", "documents", "conditions")
        .get()
    )
    return fill(request, counter_filling(request, model_admin, draft), procedure, number - 1, draft)


def summary_view(request, model_admin, pk):
    check_permission(request)
    draft = get_object_or_404(
        counter_drafts(request.user)
        .select_related("account", "member", "procedure__theme")
        .prefetch_related(
            "documents",
            "procedure__pages",
            "procedure__blocks",
            "procedure__fields",
            "procedure__documents",
            "procedure__conditions",
        ),
        pk=pk,
    )
    if request.method == "POST":
        try:
            sent = services.request_submit(citizen_request=draft, by=request.user)
        except services.RequestError as error:
            messages.error(request, str(error))
            return redirect(reverse("admin:procedures_request_counter_summary", args=[pk]))
        messages.success(
            request,
            _("La demande %(number)s est envoyée ; l'usager reçoit l'accusé de réception.")
            % {"number": sent.number},
        )
        return redirect(reverse("admin:procedures_request_counter"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Request._meta,
        "title": _("Récapitulatif de la saisie au guichet"),
        "citizen": draft.account,
        **summary_context(draft, counter_page_url),
    }
    return TemplateResponse(request, "admin/procedures/request/counter_summary.html", context)
