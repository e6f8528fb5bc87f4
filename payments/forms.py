"""The only form of the app: the citizen's answer on the simulated card page.

Adding, removing and paying are buttons whose target is in the URL; amounts are
never posted: they come from the invoices.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPT = "accept"
DECLINE = "decline"


class SimulatedCardForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(ACCEPT, _("Valider le paiement")), (DECLINE, _("Simuler une carte refusée"))]
    )

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["outcome"] == ACCEPT
