"""Invoices of a household, its basket, and the card payments that settle them.

States move only through the transitions below, called by ``payments.services``
(which lock the rows, write the history and queue the messages). Money is
``Decimal`` with two places, in euros; cents appear only at a provider's edge.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from common.fsm import RefreshableStateMixin
from common.history import HistoryEvent

AMOUNT = {"max_digits": 9, "decimal_places": 2}
CENT = Decimal("0.01")


class Domain(models.TextChoices):
    """Stored values are French and stay French from now on (one language)."""

    SCHOOL = "scolaire", _("Scolaire")
    AFTER_SCHOOL = "periscolaire", _("Périscolaire")
    HOLIDAYS = "extrascolaire", _("Extrascolaire")
    MUSIC_SCHOOL = "conservatoire", _("Conservatoire")


class InvoiceState(models.TextChoices):
    """Stored values written in English before the rule, and kept; every value stored
    from now on is French (one language), as ``Domain``'s."""

    TO_PAY = "to_pay", _("À payer")
    PAID = "paid", _("Payée")
    CANCELLED = "cancelled", _("Annulée")


class BasketState(models.TextChoices):
    OPEN = "open", _("Ouvert")
    CHECKOUT = "checkout", _("En cours de paiement")
    CLOSED = "closed", _("Payé")


class PaymentState(models.TextChoices):
    PENDING = "pending", _("En attente")
    PAID = "paid", _("Payé")
    FAILED = "failed", _("Refusé")
    CANCELLED = "cancelled", _("Abandonné")
    EXPIRED = "expired", _("Expiré")


class Provider(models.TextChoices):
    """Who hosts the card page. Past Stripe, the French backends of eopayment: PayFiP
    (DGFiP), the banks' systems, and a PayFiP simulated on this site for the demo."""

    SIMULATED = "simulated", _("Paiement simulé (démonstration)")
    STRIPE = "stripe", _("Stripe")
    PAYFIP = "payfip_ws", _("PayFiP (DGFiP)")
    PAYFIP_SIMULATED = "payfip_simule", _("PayFiP simulé (démonstration)")
    SYSTEMPAY = "systempayv2", _("Systempay (Banque Populaire, Caisse d'Épargne)")
    PAYZEN = "payzen", _("PayZen")
    PAYBOX = "paybox", _("Paybox (Verifone)")
    SIPS2 = "sips2", _("SIPS 2.0 (Worldline)")
    OGONE = "ogone", _("Ogone (Worldline)")


class PayfipMode(models.TextChoices):
    """PayFiP's ``saisie``: a town's client goes from test to activation to production."""

    TEST = "T", _("Test")
    ACTIVATION = "X", _("Activation")
    PRODUCTION = "W", _("Production")


class Regie(models.Model):
    """A « régie de recettes »: the town's account at the treasury that collects some
    invoice domains, with its own card-payment contract. One payment pays one régie.

    ``secrets`` (a bank system's keys) are written from the admin's write-only field or
    read from the environment (``payments.regie_settings``); never shown, never logged.
    """

    name = models.CharField(_("nom"), max_length=120, unique=True)
    # Names the régie's variables: REGIE_<CODE>_<PARAMÈTRE> (or _FILE) in the environment.
    code = models.SlugField(_("code"), max_length=40, unique=True)
    backend = models.CharField(_("système de paiement"), max_length=16, choices=Provider.choices)
    payfip_numcli = models.CharField(
        _("numéro client PayFiP"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("Six chiffres, donnés par la DGFiP."))],
    )
    payfip_mode = models.CharField(
        _("mode PayFiP"), max_length=1, choices=PayfipMode.choices, default=PayfipMode.TEST
    )
    # A bank system's parameters that are not secret (site id, mode…), by eopayment's names.
    options = models.JSONField(_("paramètres"), default=dict, blank=True)
    secrets = models.JSONField(_("clés secrètes"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("régie")
        verbose_name_plural = _("régies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.backend in (Provider.PAYFIP, Provider.PAYFIP_SIMULATED) and not self.payfip_numcli:
            raise ValidationError(
                {"payfip_numcli": _("PayFiP demande le numéro client donné par la DGFiP.")}
            )


class RegieDomain(models.Model):
    """A domain of invoices and the one régie that collects it (unique: an imported
    invoice without a ``regie`` column goes there)."""

    regie = models.ForeignKey(
        Regie, verbose_name=_("régie"), on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(_("domaine"), max_length=16, choices=Domain.choices, unique=True)

    class Meta:
        verbose_name = _("domaine de la régie")
        verbose_name_plural = _("domaines de la régie")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.get_domain_display()


class RegieClerk(models.Model):
    """A clerk of the « Régie » role limited to some régies: he sees only their invoices
    and payments (``payments.scoping``). A clerk with no row here sees every régie."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="regie_scopes",
    )
    regie = models.ForeignKey(
        Regie, verbose_name=_("régie"), on_delete=models.CASCADE, related_name="clerks"
    )

    class Meta:
        verbose_name = _("agent de la régie")
        verbose_name_plural = _("agents de la régie")
        constraints = [
            models.UniqueConstraint(fields=["user", "regie"], name="payments_regie_clerk_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.regie}"


# A basket that still holds invoices for its household: open, or frozen while it is paid.
ACTIVE_BASKET_STATES = (BasketState.OPEN, BasketState.CHECKOUT)


class InvoiceQuerySet(models.QuerySet):
    def for_account(self, account):
        """The citizen's own invoices: the only way a citizen view reaches an invoice."""
        return self.filter(household__account=account)

    def to_pay(self):
        return self.filter(state=InvoiceState.TO_PAY)

    def being_paid(self):
        """In a basket frozen by a pending payment."""
        return self.filter(basket_line__basket__state=BasketState.CHECKOUT)


class Invoice(RefreshableStateMixin, models.Model):
    """An invoice of the town's billing software, loaded by ``import_invoices``."""

    # Templates compare with members, not stored strings: ``invoice.State.PAID``.
    State = InvoiceState

    number = models.CharField(_("numéro"), max_length=32, unique=True)
    # Empty once the account is closed or deleted: the invoice stays for the accounts
    # (INVOICE_RETENTION_YEARS), detached from the person (privacy.shredder).
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("foyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    # Who owed it, as invoiced: written when the household goes (privacy.shredder).
    debtor_name = models.CharField(_("débiteur"), max_length=310, blank=True)
    member = models.ForeignKey(
        "households.Member",
        verbose_name=_("membre concerné"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    # The name as invoiced: stays when the member leaves the household.
    member_name = models.CharField(_("nom du membre concerné"), max_length=310, blank=True)
    domain = models.CharField(_("domaine"), max_length=16, choices=Domain.choices)
    # Empty: the town has no régie for it, and the portal's own provider collects it.
    regie = models.ForeignKey(
        Regie,
        verbose_name=_("régie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    label = models.CharField(_("libellé"), max_length=200)
    period = models.CharField(_("période"), max_length=60, blank=True)
    amount = models.DecimalField(_("montant (€)"), **AMOUNT, validators=[MinValueValidator(CENT)])
    issue_date = models.DateField(_("date d'émission"))
    due_date = models.DateField(_("date d'échéance"))
    state = FSMField(
        _("état"),
        max_length=16,
        choices=InvoiceState.choices,
        default=InvoiceState.TO_PAY,
        protected=True,
    )
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    # The online payment that settled it; empty when paid at the Guichet Unique.
    payment = models.ForeignKey(
        "Payment",
        verbose_name=_("paiement en ligne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paid_invoices",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-issue_date", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payments_invoice_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("issue_date")),
                name="payments_invoice_due_after_issue",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "-issue_date"]),
            models.Index(fields=["state", "issue_date"]),
            # « Statistiques » reads the invoices issued in a period (payments.statistics).
            models.Index(fields=["issue_date", "domain"]),
        ]

    def __str__(self) -> str:
        return str(_("Facture n° %(number)s") % {"number": self.number})

    def clean(self) -> None:
        """The invoice's rules, by the field to correct, wherever it is written from (the
        admin's form, ``invoice_create``); the due date is also a constraint above."""
        if self.member_id is not None and not self.member_name:
            self.member_name = self.member.full_name
        errors = {}
        household_id = self.household_id
        if self.member_id is not None and household_id and self.member.household_id != household_id:
            errors["member"] = _("Cette personne ne fait pas partie du foyer de la facture.")
        if self.issue_date and self.due_date and self.due_date < self.issue_date:
            errors["due_date"] = _("L'échéance ne peut pas précéder l'émission.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_payable(self) -> bool:
        return self.state == InvoiceState.TO_PAY

    @property
    def is_paid(self) -> bool:
        return self.state == InvoiceState.PAID

    @transition(field=state, source=InvoiceState.TO_PAY, target=InvoiceState.PAID)
    def pay(self, *, payment=None):
        self.payment = payment
        self.paid_at = timezone.now()

    @transition(field=state, source=InvoiceState.TO_PAY, target=InvoiceState.CANCELLED)
    def cancel(self):
        pass


class InvoiceEvent(HistoryEvent):
    """The history of an invoice: import, clerk's changes, payment, cancellation."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Créée")
        UPDATED = "updated", _("Modifiée")
        PAID = "paid", _("Payée")
        CANCELLED = "cancelled", _("Annulée")

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("facture"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("événement"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # {"field": {"old": ..., "new": ...}}, as text.
    changes = models.JSONField(_("modifications"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement de la facture")
        verbose_name_plural = _("historique de la facture")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["invoice", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.at:%d/%m/%Y %H:%M}"


class Basket(RefreshableStateMixin, models.Model):
    """The invoices a household is about to pay. Frozen (« checkout ») while a payment runs."""

    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("foyer"),
        on_delete=models.CASCADE,
        related_name="baskets",
    )
    # One active basket per household and régie: each is paid on its own.
    regie = models.ForeignKey(
        Regie,
        verbose_name=_("régie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="baskets",
    )
    state = FSMField(
        _("état"),
        max_length=16,
        choices=BasketState.choices,
        default=BasketState.OPEN,
        protected=True,
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    closed_at = models.DateTimeField(_("payé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("panier")
        verbose_name_plural = _("paniers")
        ordering = ["-created_at"]
        constraints = [
            # Two tabs adding at once cannot give a household two baskets of one régie
            # (two constraints: NULL is distinct from NULL in a unique index).
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(state__in=ACTIVE_BASKET_STATES, regie__isnull=True),
                name="payments_one_open_basket_per_household",
            ),
            models.UniqueConstraint(
                fields=["household", "regie"],
                condition=Q(state__in=ACTIVE_BASKET_STATES, regie__isnull=False),
                name="payments_one_open_basket_per_household_regie",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Panier n° %(pk)s") % {"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == BasketState.OPEN

    @transition(field=state, source=BasketState.OPEN, target=BasketState.CHECKOUT)
    def check_out(self):
        pass

    @transition(field=state, source=BasketState.CHECKOUT, target=BasketState.OPEN)
    def reopen(self):
        pass

    @transition(field=state, source=BasketState.CHECKOUT, target=BasketState.CLOSED)
    def close(self):
        self.closed_at = timezone.now()


class BasketLine(models.Model):
    basket = models.ForeignKey(
        Basket, verbose_name=_("panier"), on_delete=models.CASCADE, related_name="lines"
    )
    # One basket at most, ever: a paid invoice stays in the basket that paid it and
    # a cancelled one leaves, so no invoice can be put in a second basket.
    invoice = models.OneToOneField(
        Invoice, verbose_name=_("facture"), on_delete=models.CASCADE, related_name="basket_line"
    )
    added_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)

    class Meta:
        verbose_name = _("ligne du panier")
        verbose_name_plural = _("lignes du panier")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return str(self.invoice)


class PaymentQuerySet(models.QuerySet):
    def for_account(self, account):
        return self.filter(household__account=account)

    def pending(self):
        return self.filter(state=PaymentState.PENDING)


class Payment(RefreshableStateMixin, models.Model):
    """One attempt to pay a basket by card; its amount is the sum of its lines."""

    # Templates compare with members, not stored strings: ``payment.State.PAID``.
    State = PaymentState

    # Both empty once the account is closed: the payment stays with its invoices.
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("foyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    basket = models.ForeignKey(
        Basket,
        verbose_name=_("panier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    # The régie paid (empty: the portal's own provider); always its basket's régie.
    regie = models.ForeignKey(
        Regie,
        verbose_name=_("régie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    provider = models.CharField(_("prestataire"), max_length=16, choices=Provider.choices)
    # The provider's id of the checkout (a Stripe Checkout Session id); empty until known.
    provider_reference = models.CharField(_("référence du prestataire"), max_length=255, blank=True)
    checkout_url = models.CharField(_("page de paiement"), max_length=2048, blank=True)
    # A bank system's signed form to post ({"url", "method", "fields"}), when its page is
    # reached by a form rather than a link (eopayment's FORM): shown by « bank_form ».
    checkout_form = models.JSONField(_("formulaire de paiement"), default=dict, blank=True)
    amount = models.DecimalField(_("montant (€)"), **AMOUNT)
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    state = FSMField(
        _("état"),
        max_length=16,
        choices=PaymentState.choices,
        default=PaymentState.PENDING,
        protected=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    paid_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    # Money received for invoices no longer to pay: the treasurer refunds it.
    refund_due = models.DecimalField(_("à rembourser (€)"), **AMOUNT, default=Decimal("0.00"))

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="payments_unique_provider_reference",
            ),
            # Two clicks on « Payer » at once cannot open two payments of one basket.
            models.UniqueConstraint(
                fields=["basket"],
                condition=Q(state=PaymentState.PENDING),
                name="payments_one_pending_payment_per_basket",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payments_payment_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return str(_("Paiement n° %(number)s") % {"number": self.receipt_number})

    @property
    def receipt_number(self) -> str:
        return f"{self.created_at:%Y}-{self.pk:06d}"

    @property
    def is_pending(self) -> bool:
        return self.state == PaymentState.PENDING

    @property
    def is_paid(self) -> bool:
        return self.state == PaymentState.PAID

    @transition(field=state, source=PaymentState.PENDING, target=PaymentState.PAID)
    def confirm(self):
        self.paid_at = timezone.now()

    @transition(field=state, source=PaymentState.PENDING, target=PaymentState.FAILED)
    def fail(self):
        pass

    @transition(field=state, source=PaymentState.PENDING, target=PaymentState.CANCELLED)
    def cancel(self):
        pass

    @transition(field=state, source=PaymentState.PENDING, target=PaymentState.EXPIRED)
    def expire(self):
        pass


class PaymentLine(models.Model):
    """What a payment pays: the invoice and its amount when « Payer » was pressed."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("paiement"), on_delete=models.CASCADE, related_name="lines"
    )
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("facture"), on_delete=models.PROTECT, related_name="payment_lines"
    )
    amount = models.DecimalField(_("montant (€)"), **AMOUNT)

    class Meta:
        verbose_name = _("facture payée")
        verbose_name_plural = _("factures payées")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "invoice"], name="payments_line_invoice_once_per_payment"
            )
        ]

    def __str__(self) -> str:
        return str(self.invoice)


class PaymentEvent(HistoryEvent):
    """Every transition of a payment: from where, to where, who or what told us, and when."""

    class Source(models.TextChoices):
        CITIZEN = "citizen", _("le citoyen")
        RETURN = "return", _("retour du citoyen depuis le prestataire")
        WEBHOOK = "webhook", _("notification du prestataire")
        RECONCILE = "reconcile", _("rapprochement automatique")
        ADMIN = "admin", _("la mairie")

    payment = models.ForeignKey(
        Payment, verbose_name=_("paiement"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(_("de"), max_length=16, choices=PaymentState.choices, blank=True)
    to_state = models.CharField(_("vers"), max_length=16, choices=PaymentState.choices)
    source = models.CharField(_("origine"), max_length=16, choices=Source.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("événement du paiement")
        verbose_name_plural = _("historique du paiement")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["payment", "at"])]

    def __str__(self) -> str:
        return f"{self.get_to_state_display()} — {self.at:%d/%m/%Y %H:%M}"


class ProviderEvent(models.Model):
    """A notification received from a provider (a Stripe event), kept to ignore replays."""

    provider = models.CharField(_("prestataire"), max_length=16, choices=Provider.choices)
    event_id = models.CharField(_("identifiant"), max_length=255)
    event_type = models.CharField(_("type"), max_length=100)
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("paiement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provider_events",
    )
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    processed_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification du prestataire")
        verbose_name_plural = _("notifications du prestataire")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="payments_provider_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class SimulatedCheckout(models.Model):
    """The simulated provider's own record of a checkout, as a real provider keeps its own."""

    class Status(models.TextChoices):
        OPEN = "open", _("ouvert")
        PAID = "paid", _("payé")
        DECLINED = "declined", _("refusé")
        EXPIRED = "expired", _("expiré")

    reference = models.CharField(_("référence"), max_length=64, unique=True)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    currency = models.CharField(_("devise"), max_length=3, default="eur")
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("paiement simulé")
        verbose_name_plural = _("paiements simulés")

    def __str__(self) -> str:
        return self.reference


class SimulatedPayfipOperation(models.Model):
    """The simulated PayFiP's own record of an operation (``payments.payfip_simulator``),
    as the DGFiP keeps its own: what ``creerPaiementSecurise`` received, and the answer
    given on its payment page."""

    class Result(models.TextChoices):
        # PayFiP's ``resultrans``; empty while the citizen has not answered.
        PAID = "P", _("payé")
        REFUSED = "R", _("refusé")
        ABANDONED = "A", _("abandonné")

    idop = models.CharField(_("identifiant d'opération"), max_length=64, unique=True)
    numcli = models.CharField(_("numéro client"), max_length=6)
    exer = models.CharField(_("exercice"), max_length=4)
    refdet = models.CharField(_("référence"), max_length=30)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    email = models.CharField(_("adresse électronique"), max_length=80)
    subject = models.CharField(_("objet"), max_length=100, blank=True)
    mode = models.CharField(_("mode"), max_length=1)
    notification_url = models.CharField(_("adresse de notification"), max_length=2048)
    return_url = models.CharField(_("adresse de retour"), max_length=2048)
    result = models.CharField(_("résultat"), max_length=1, choices=Result.choices, blank=True)
    authorisation = models.CharField(_("numéro d'autorisation"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    answered_at = models.DateTimeField(_("réglée le"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notifiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("opération PayFiP simulée")
        verbose_name_plural = _("opérations PayFiP simulées")
        indexes = [models.Index(fields=["numcli", "refdet", "created_at"])]

    def __str__(self) -> str:
        return self.idop
