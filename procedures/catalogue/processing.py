"""How a procedure's requests are processed: its steps, where they go, what they produce.

- ``ProcedureStep``: the clerk's actions the procedure uses, each with the message of
  « Modèles de messages » it sends and whether it needs a comment. No step at all: every
  action of the state machine (``procedures.models.Request``), as before. The steps only
  narrow what django-fsm allows; they never add a move.
- ``ProcedureRoute``: an answer of the routing field (« École souhaitée ») sends the
  request to one service group instead of the theme's groups.
- ``DecisionTemplate``: the document an outcome produces (« Autorisation de
  stationnement »), its text written with the fixed placeholders of ``placeholders``.

Models of the catalogue, re-exported by ``procedures.models`` like the others.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import MessageTemplate
from procedures.catalogue.models import Procedure
from procedures.catalogue.placeholders import placeholder_help, unknown_placeholders


class StepAction(models.TextChoices):
    """The clerk's buttons of the state machine (``Request``'s transitions with
    ``clerk_button``; tests/procedures/test_procedure_steps.py keeps both lists equal)."""

    START = "start", _("Prendre en charge")
    ASK_CITIZEN = "ask_citizen", _("Demander des pièces ou informations")
    ACCEPT = "accept", _("Accepter")
    REFUSE = "refuse", _("Refuser")
    COMPLETE = "complete", _("Terminer")


class ProcedureStep(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("action"), max_length=32, choices=StepAction.choices)
    message_template = models.ForeignKey(
        MessageTemplate,
        verbose_name=_("message envoyé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Son texte s'ajoute au message de l'action (ou est envoyé seul)."),
    )
    comment_required = models.BooleanField(
        _("commentaire obligatoire"),
        default=False,
        help_text=_("Un refus demande toujours son motif."),
    )

    class Meta:
        verbose_name = _("étape utilisée")
        verbose_name_plural = _(
            "étapes utilisées (aucune : toutes les actions sont proposées aux agents)"
        )
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "action"], name="procedures_step_once")
        ]

    def __str__(self) -> str:
        return self.get_action_display()


class ProcedureRoute(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="routes"
    )
    answer = models.CharField(_("réponse"), max_length=200)
    group = models.ForeignKey(
        Group,
        verbose_name=_("groupe d'agents"),
        on_delete=models.PROTECT,
        related_name="procedure_routes",
    )

    class Meta:
        verbose_name = _("aiguillage")
        verbose_name_plural = _("aiguillages selon une réponse")
        ordering = ["answer"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "answer"], name="procedures_route_once")
        ]

    def __str__(self) -> str:
        return f"{self.answer} → {self.group}"


class DecisionOutcome(models.TextChoices):
    """Stored values French."""

    ACCEPTANCE = "acceptation", _("Acceptation")
    IMPLICIT_ACCEPTANCE = "acceptation_implicite", _("Décision implicite d'acceptation")
    REFUSAL = "refus", _("Refus")


class DecisionTemplate(models.Model):
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("démarche"),
        on_delete=models.CASCADE,
        related_name="decision_templates",
    )
    outcome = models.CharField(_("décision"), max_length=24, choices=DecisionOutcome.choices)
    title = models.CharField(
        _("titre du document"),
        max_length=160,
        help_text=_("Exemple : Autorisation de stationnement"),
    )
    body = models.TextField(_("texte"), help_text=placeholder_help())
    signatory_name = models.CharField(_("signataire"), max_length=160)
    signatory_role = models.CharField(_("qualité du signataire"), max_length=160)

    class Meta:
        verbose_name = _("document de décision")
        verbose_name_plural = _("documents de décision")
        ordering = ["outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "outcome"], name="procedures_decision_template_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if "{" in self.title or "}" in self.title:
            errors["title"] = ValidationError(
                _("Le titre est un texte simple, sans repère."), code="placeholder_in_title"
            )
        # A procedure being created has no saved field yet: its answers are named once it is.
        names = set()
        if self.procedure_id is not None:
            names = set(self.procedure.fields.values_list("name", flat=True))
        unknown = unknown_placeholders(self.body, names)
        if unknown:
            errors["body"] = ValidationError(
                _(
                    "Repères inconnus : %(names)s. Utilisez seulement ceux de l'aide (une "
                    "réponse, d'un champ déjà enregistré de la démarche)."
                ),
                code="unknown_placeholder",
                params={"names": ", ".join(unknown)},
            )
        if errors:
            raise ValidationError(errors)
