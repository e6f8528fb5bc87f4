"""« Je souhaite créer un compte »: the form, then a page saying the identifier is on its way."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import RegistrationForm


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"password2", "captcha"}}
        data["password"] = data.pop("password1")
        account = services.account_register(**data)
        request.session["registered_email"] = account.email
        return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


def register_done(request):
    email = request.session.pop("registered_email", None)
    if email is None:
        return redirect("home")
    return render(request, "accounts/register_done.html", {"email": email})
