"""The closure form: the password proves it is the citizen, the box gives consent."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ClosureForm(forms.Form):
    password = forms.CharField(
        label=_("Mot de passe"),
        help_text=_("Pour confirmer que c'est bien vous qui fermez le compte."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Saisissez votre mot de passe.")},
    )
    cancel_requests = forms.BooleanField(
        label=_("J'accepte l'annulation de mes demandes en cours"),
        required=True,
        error_messages={
            "required": _("Cochez cette case : vos demandes en cours doivent être annulées.")
        },
    )

    def __init__(self, *args, account, has_open_requests: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        if not has_open_requests:
            del self.fields["cancel_requests"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.account.check_password(password):
            raise forms.ValidationError(_("Le mot de passe est incorrect."))
        return password


class FrontDeskClosureForm(forms.Form):
    """At the counter, the clerk has checked the identity and records the consent."""

    identity_checked = forms.BooleanField(
        label=_("J'ai vérifié l'identité de la personne, qui demande la fermeture de son compte"),
        error_messages={"required": _("Vérifiez l'identité de la personne avant de fermer.")},
    )
    cancel_requests = forms.BooleanField(
        label=_("La personne accepte l'annulation de ses demandes en cours"),
        error_messages={
            "required": _("Sans cet accord, les demandes en cours empêchent la fermeture.")
        },
    )

    def __init__(self, *args, has_open_requests: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_open_requests:
            del self.fields["cancel_requests"]
