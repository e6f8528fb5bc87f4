"""The simulated PayFiP's pages (``payments.payfip_simulator``): its web service, its WSDL
and its payment page. Every one is a 404 unless the simulator is on."""

from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from payments import payfip_simulator
from payments.providers import eopayment_api

OUTCOMES = {
    "payer": payfip_simulator.Operation.Result.PAID,
    "refuser": payfip_simulator.Operation.Result.REFUSED,
    "abandonner": payfip_simulator.Operation.Result.ABANDONED,
}


def simulator_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not payfip_simulator.enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@csrf_exempt
@simulator_only
@require_http_methods(["GET", "POST"])
def web_service(request):
    """The SOAP endpoint; ``?wsdl`` gives eopayment's WSDL with this address."""
    if request.method == "GET":
        if "wsdl" in request.GET:
            body = payfip_simulator.wsdl(eopayment_api.simulator_service_url())
        else:
            body = payfip_simulator.schema(request.GET.get("xsd", ""))
            if body is None:
                raise Http404
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    status, body = payfip_simulator.answer(request.body)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


@simulator_only
@require_http_methods(["GET", "POST"])
def payment_page(request):
    """PayFiP's page: « Payer », « Refuser » or « Abandonner », then back to the portal."""
    idop = request.GET.get("idop", "")
    operation = payfip_simulator.Operation.objects.filter(idop=idop).first() if idop else None
    if operation is None:
        raise Http404
    if operation.result:
        return redirect(payfip_simulator.return_url(operation))
    expired = payfip_simulator.is_expired(operation)
    if request.method == "POST" and not expired:
        outcome = OUTCOMES.get(request.POST.get("outcome", ""))
        if outcome is not None:
            payfip_simulator.operation_answer(operation=operation, result=outcome)
            return redirect(payfip_simulator.return_url(operation))
    context = {
        "operation": operation,
        "amount": operation.amount_cents / 100,
        "expired": expired,
        "back": payfip_simulator.return_url(operation),
    }
    return render(request, "payments/payfip_simulated.html", context)
