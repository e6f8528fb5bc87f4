"""The « Paiements » tab: invoices, the basket, the card payment and its outcome.

Every object is fetched through a queryset restricted to the logged-in account's
household, so another household's invoice, basket or payment answers 404.
"""

import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pdf import PDF_MIMETYPE
from common.private_files import private_file_response
from common.validators import small_number
from households.models import Household
from households.services import household_get_or_create
from payments import pdf, selectors, services
from payments.eligibility import eligibility_of
from payments.forms import SimulatedCardForm
from payments.models import PaymentEvent, PaymentState, Provider, Regie
from payments.providers import EOPAYMENT_BACKENDS
from payments.providers.base import ProviderError
from payments.providers.simulated import SimulatedProvider
from payments.providers.stripe_provider import InvalidWebhook, StripeProvider

logger = logging.getLogger(__name__)

# A refused « Ajouter au panier », shown once by the next Paiements page (the « OK » dialog).
REFUSAL_KEY = "payments_refusal"
SECTIONS = {"tous", "termines"}
# How « Abandonner » ends a payment when nothing else happened to it meanwhile.
ABANDONED = {PaymentState.CANCELLED, PaymentState.EXPIRED}


def eligible_required(view):
    """Invoices and basket only for an eligible account; the tab explains the conditions."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not eligibility_of(request.user).eligible:
            return redirect("payments:index")
        return view(request, *args, **kwargs)

    return wrapper


def household_of(request) -> Household:
    return household_get_or_create(account=request.user, by=request.user)


def regie_of(request) -> Regie | None:
    """The régie whose group a « Payer » or « Abandonner » button names (its hidden
    field); empty for the portal's own provider. Whatever is posted, only the household's
    basket of that régie is ever paid: an unknown or foreign value finds none."""
    value = request.POST.get("regie", "")
    if not value:
        return None
    pk = small_number(value)
    if pk is None:
        raise services.BasketRefused(services.EMPTY)
    regie = Regie.objects.filter(pk=pk).first()
    if regie is None:
        raise services.BasketRefused(services.EMPTY)
    return regie


def page_context(request, basket_count: int | None = None, **context) -> dict:
    """What every Paiements page shows: the tab, the basket link with its count, a refusal."""
    if basket_count is None:
        basket_count = selectors.basket_item_count(account=request.user)
    return {
        "active_tab": "payments",
        "basket_count": basket_count,
        "refusal": request.session.pop(REFUSAL_KEY, None),
        **context,
    }


def pdf_response(content: bytes, filename: str) -> FileResponse:
    return private_file_response(
        content, filename=filename, content_type=PDF_MIMETYPE, as_attachment=False
    )


@login_required
@require_GET
def payments_tab(request):
    eligibility = eligibility_of(request.user)
    if not eligibility.eligible:
        return render(
            request, "payments/not_yet.html", page_context(request, eligibility=eligibility)
        )
    section = request.GET.get("rubrique", "tous")
    section = section if section in SECTIONS else "tous"
    invoices, basket_count = selectors.invoices_with_basket(account=request.user)
    context = page_context(
        request,
        basket_count=basket_count,
        section=section,
        since=selectors.shown_since(),
        invoices=selectors.as_rows(invoices),
        paid=[invoice for invoice in invoices if invoice.is_paid],
    )
    return render(request, "payments/index.html", context)


@eligible_required
@require_GET
def invoice_pdf(request, pk):
    invoice = get_object_or_404(selectors.invoices_for_account(account=request.user), pk=pk)
    return pdf_response(pdf.invoice_pdf_content(invoice), pdf.invoice_filename(invoice))


@eligible_required
@require_POST
def basket_add(request, invoice_pk):
    invoice = get_object_or_404(selectors.recent_invoices(account=request.user), pk=invoice_pk)
    try:
        services.basket_add_invoice(invoice=invoice, by=request.user)
    except services.BasketRefused as refusal:
        request.session[REFUSAL_KEY] = str(refusal)
    else:
        messages.success(
            request,
            _("La facture n° %(number)s est ajoutée à votre panier.") % {"number": invoice.number},
        )
    return redirect("payments:index")


@eligible_required
@require_POST
def basket_remove(request, invoice_pk):
    invoice = get_object_or_404(selectors.invoices_for_account(account=request.user), pk=invoice_pk)
    try:
        services.basket_remove_invoice(invoice=invoice, by=request.user)
    except services.BasketRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("La facture n° %(number)s est retirée de votre panier.") % {"number": invoice.number},
        )
    return redirect("payments:basket")


@eligible_required
@require_GET
def basket(request):
    groups = selectors.basket_groups(household=household_of(request))
    context = page_context(
        request,
        basket_count=sum(len(group.lines) for group in groups),
        active_page="basket",
        groups=groups,
        several=len(groups) > 1,
    )
    return render(request, "payments/basket.html", context)


@eligible_required
@require_POST
def basket_pay(request):
    """« Payer » a régie's group (and « Reprendre le paiement »): off to its provider's page."""
    try:
        payment = services.payment_start(
            household=household_of(request), by=request.user, regie=regie_of(request)
        )
        destination = services.payment_checkout(payment=payment)
    except services.BasketRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("payments:basket")
    return redirect(destination)


@eligible_required
@require_POST
def payment_abandon(request):
    try:
        regie = regie_of(request)
    except services.BasketRefused:
        return redirect("payments:basket")
    active = selectors.active_basket(household=household_of(request), regie=regie)
    if active is None or active.pending is None:
        return redirect("payments:basket")
    try:
        payment = services.payment_abandon(payment=active.pending, by=request.user)
    except services.PaymentRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("payments:basket")
    if payment.state not in ABANDONED:
        # Paid meanwhile, or refused (another amount taken): the outcome page says which.
        return redirect("payments:outcome", pk=payment.pk)
    messages.success(request, _("Le paiement est abandonné : vous pouvez modifier votre panier."))
    return redirect("payments:basket")


@login_required
@require_GET
def payment_outcome(request, pk):
    """Where the provider sends the citizen back: the outcome, asked of the provider."""
    payment = get_object_or_404(selectors.payments_for_account(account=request.user), pk=pk)
    if payment.is_pending:
        try:
            payment = services.payment_settle(
                payment=payment,
                source=PaymentEvent.Source.RETURN,
                actor=request.user,
                query_string=request.META.get("QUERY_STRING", ""),
            )
        except ProviderError:
            logger.warning("Return page: the provider did not answer for payment %s.", payment.pk)
    context = page_context(
        request,
        payment=payment,
        lines=selectors.payment_with_invoices(payment),
    )
    return render(request, "payments/outcome.html", context)


@login_required
@require_GET
def receipt_pdf(request, pk):
    payment = get_object_or_404(
        selectors.payments_for_account(account=request.user).filter(paid_at__isnull=False), pk=pk
    )
    return pdf_response(pdf.receipt_pdf_content(payment), pdf.receipt_filename(payment))


@login_required
@require_http_methods(["GET", "POST"])
def simulated_card(request, pk):
    """The simulated provider's card page: accept or decline, nothing is debited."""
    payment = get_object_or_404(
        selectors.payments_for_account(account=request.user).filter(provider=Provider.SIMULATED),
        pk=pk,
    )
    if not payment.is_pending or not payment.provider_reference:
        return redirect("payments:outcome", pk=payment.pk)
    form = SimulatedCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        SimulatedProvider().card_submit(payment, accept=form.accepted)
        return redirect("payments:outcome", pk=payment.pk)
    return render(request, "payments/simulated_card.html", {"payment": payment, "form": form})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's notifications: the signature is checked, then the session asked for again."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise Http404
    try:
        notice = StripeProvider().webhook_notice(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except InvalidWebhook as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest("invalid signature")
    try:
        outcome = services.provider_notice_handle(provider=Provider.STRIPE, notice=notice)
    except ProviderError:
        # Stripe sends the event again later; nothing was recorded as handled.
        return HttpResponse("provider unavailable", status=503, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def eopayment_notification(request, code):
    """A régie's backend tells us about a payment (PayFiP posts ``idOp=…``): the payment
    is looked up, then its outcome asked of the backend again. Only a régie on one of
    eopayment's backends has this URL (the simulated card page and Stripe have their own)."""
    regie = get_object_or_404(Regie, code=code, backend__in=EOPAYMENT_BACKENDS)
    try:
        outcome = services.eopayment_notice_handle(
            regie=regie,
            method=request.method,
            query_string=request.META.get("QUERY_STRING", ""),
            body=request.body,
        )
    except ProviderError:
        # The backend sends it again later; nothing was recorded as handled.
        return HttpResponse("provider unavailable", status=503, content_type="text/plain")
    if outcome == services.IGNORED:
        return HttpResponseBadRequest("not a notification")
    return HttpResponse(outcome, content_type="text/plain")


@login_required
@require_GET
def bank_form(request, pk):
    """A bank system's payment page is reached by posting its signed form: this page shows
    it with one button (no script), for the citizen's own pending payment."""
    payment = get_object_or_404(
        selectors.payments_for_account(account=request.user).exclude(checkout_form={}), pk=pk
    )
    if not payment.is_pending:
        return redirect("payments:outcome", pk=payment.pk)
    return render(
        request,
        "payments/bank_form.html",
        page_context(request, payment=payment, form=payment.checkout_form),
    )
