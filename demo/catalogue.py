"""The demo catalogue for `manage.py seed_demo`, after demo.people.seed(); safe to run again.

Themes and procedures are found by slug, fields by name and documents by label, then
brought back to the values below: a second run changes nothing and duplicates nothing.
What staff added in admin besides (another field, another document) is left alone.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction

from backoffice.roles import SERVICES
from procedures.catalogue import exchange
from procedures.catalogue.definition import Block, Definition
from procedures.catalogue.streets import read_streets, streets_import
from procedures.models import (
    Certificate,
    Condition,
    DocumentRequirement,
    FieldBlock,
    Procedure,
    ProcedureField,
    ProcedurePage,
    Theme,
)

FORMS = Path(__file__).resolve().parent / "forms"
STREETS_FILE = Path(__file__).resolve().parent / "data" / "adresses-demo.csv"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str
    required: bool = True
    help_text: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentSpec:
    label: str
    help_text: str = ""


@dataclass(frozen=True)
class Service:
    name: str
    contact: str


@dataclass(frozen=True)
class ProcedureSpec:
    slug: str
    title: str
    summary: str
    description: str
    service: Service
    concerns: str = Procedure.Concerns.ANY_MEMBER
    kind: str = Procedure.Kind.STANDARD
    certificate: str = ""
    account_required: bool = True
    captcha_required: bool = False
    silence_rule: str = Procedure.Silence.NONE
    silence_delay_days: int | None = None
    has_appointment: bool = False
    reminder_text: str = ""
    fields: tuple[FieldSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()
    # A form written in the exchange format (demo/forms/, procedures.catalogue.exchange):
    # its pages, questions, blocks, conditions and documents, instead of the two above.
    form: str = ""


@dataclass(frozen=True)
class ThemeSpec:
    slug: str
    title: str
    description: str
    procedures: tuple[ProcedureSpec, ...] = field(default_factory=tuple)


ETAT_CIVIL = Service("Service État civil", "01 23 45 67 81 — etat-civil@mairie.example")
EDUCATION = Service("Service Éducation", "01 23 45 67 80 — education@mairie.example")
PROPRETE = Service("Service Propreté urbaine", "01 23 45 67 82 — proprete@mairie.example")
TECHNIQUES = Service("Services techniques", "01 23 45 67 83 — services-techniques@mairie.example")
ELECTIONS = Service("Service Élections et citoyenneté", "01 23 45 67 84 — elections@mairie.example")
VIE_ASSOCIATIVE = Service(
    "Service Vie associative", "01 23 45 67 85 — vie-associative@mairie.example"
)
CONSERVATOIRE = Service("Conservatoire municipal", "01 23 45 67 86 — conservatoire@mairie.example")

SCHOOLS = (
    "École maternelle Les Coquelicots",
    "École élémentaire Jules-Ferry",
    "Groupe scolaire Simone-Veil",
)
LEVELS = (
    "Petite section",
    "Moyenne section",
    "Grande section",
    "CP",
    "CE1",
    "CE2",
    "CM1",
    "CM2",
)
PROOF_OF_ADDRESS = DocumentSpec(
    "Justificatif de domicile de moins de 3 mois",
    "Facture d'électricité, de gaz, d'eau ou de téléphone fixe, quittance de loyer ou avis "
    "d'imposition.",
)
IDENTITY = DocumentSpec(
    "Pièce d'identité", "Carte nationale d'identité ou passeport en cours de validité."
)


def civil_status(
    slug: str, title: str, summary: str, who: str, *, certificate: Certificate
) -> ProcedureSpec:
    """Birth, marriage and death certificates: no account, a captcha, a form fixed in code."""
    return ProcedureSpec(
        slug=slug,
        title=title,
        summary=summary,
        description=(
            f"Vous pouvez demander cet acte sans créer de compte, même si vous n'habitez plus "
            f"la commune. L'acte doit avoir été dressé à Villeneuve-sur-Example. {who}\n\n"
            "Indiquez une adresse électronique : vous recevrez un code de suivi et un lien "
            "pour suivre votre demande. L'acte vous est envoyé gratuitement par courrier."
        ),
        service=ETAT_CIVIL,
        concerns=Procedure.Concerns.NOBODY,
        kind=Procedure.Kind.CIVIL_STATUS,
        certificate=certificate,
        account_required=False,
        captcha_required=True,
    )


CATALOGUE: tuple[ThemeSpec, ...] = (
    ThemeSpec(
        slug="etat-civil",
        title="État civil",
        description="Copies et extraits d'actes de naissance, de mariage et de décès, "
        "sans créer de compte.",
        procedures=(
            civil_status(
                "acte-de-naissance",
                "Acte de naissance",
                "Demander une copie intégrale ou un extrait d'acte de naissance.",
                "La copie intégrale et l'extrait avec filiation sont délivrés à la personne, "
                "à son conjoint, à ses ascendants, à ses descendants ou à son représentant "
                "légal ; toute personne peut obtenir un extrait sans filiation.",
                certificate=Certificate.BIRTH,
            ),
            civil_status(
                "acte-de-mariage",
                "Acte de mariage",
                "Demander une copie intégrale ou un extrait d'acte de mariage.",
                "La copie intégrale et l'extrait avec filiation sont délivrés aux époux, à "
                "leurs ascendants, à leurs descendants ou à leur représentant légal ; toute "
                "personne peut obtenir un extrait sans filiation.",
                certificate=Certificate.MARRIAGE,
            ),
            civil_status(
                "acte-de-deces",
                "Acte de décès",
                "Demander une copie intégrale d'acte de décès.",
                "Précisez votre lien avec la personne décédée.",
                certificate=Certificate.DEATH,
            ),
        ),
    ),
    ThemeSpec(
        slug="scolaire-et-periscolaire",
        title="Scolaire et périscolaire",
        description="Inscription à l'école, à la restauration scolaire et à l'accueil "
        "du matin, du soir et du mercredi.",
        procedures=(
            ProcedureSpec(
                slug="inscription-scolaire",
                title="Inscription scolaire",
                summary="Inscrire votre enfant dans une école maternelle ou élémentaire "
                "de la commune.",
                description=(
                    "L'inscription scolaire se fait en mairie avant l'admission par le "
                    "directeur ou la directrice de l'école. Elle concerne les enfants qui "
                    "entrent en petite section, en CP, ou qui arrivent dans la commune.\n\n"
                    "L'école est attribuée selon votre adresse ; le service Éducation vous "
                    "indique l'école d'affectation et vous envoie le certificat d'inscription "
                    "à présenter à l'école."
                ),
                service=EDUCATION,
                concerns=Procedure.Concerns.CHILD,
                fields=(
                    FieldSpec(
                        "ecole_souhaitee",
                        "École souhaitée",
                        ProcedureField.Kind.CHOICE,
                        choices=SCHOOLS,
                    ),
                    FieldSpec(
                        "niveau",
                        "Niveau à la rentrée",
                        ProcedureField.Kind.CHOICE,
                        choices=LEVELS,
                    ),
                    FieldSpec(
                        "date_entree",
                        "Date d'entrée souhaitée",
                        ProcedureField.Kind.DATE,
                        help_text="Le plus souvent le jour de la rentrée scolaire.",
                    ),
                    FieldSpec(
                        "commentaire",
                        "Commentaire",
                        ProcedureField.Kind.LONG_TEXT,
                        required=False,
                        help_text="Fratrie déjà scolarisée, situation particulière…",
                    ),
                ),
                documents=(
                    PROOF_OF_ADDRESS,
                    DocumentSpec(
                        "Livret de famille ou acte de naissance de l'enfant",
                        "Les pages des parents et de l'enfant.",
                    ),
                    DocumentSpec(
                        "Carnet de vaccination",
                        "Les pages des vaccinations obligatoires, ou un certificat de "
                        "contre-indication.",
                    ),
                ),
            ),
            ProcedureSpec(
                slug="restauration-scolaire",
                title="Inscription à la restauration scolaire",
                summary="Inscrire votre enfant à la cantine, pour les jours de votre choix.",
                description=(
                    "La restauration scolaire accueille les enfants des écoles de la commune "
                    "les lundis, mardis, jeudis et vendredis. Les repas sont facturés chaque "
                    "mois selon le quotient familial.\n\n"
                    "En cas d'allergie ou de trouble de santé, un projet d'accueil "
                    "individualisé (PAI) est établi avec le médecin scolaire."
                ),
                service=EDUCATION,
                concerns=Procedure.Concerns.CHILD,
                fields=(
                    FieldSpec(
                        "jours",
                        "Jours de restauration",
                        ProcedureField.Kind.MULTIPLE_CHOICE,
                        choices=("Lundi", "Mardi", "Jeudi", "Vendredi"),
                    ),
                    FieldSpec(
                        "regime_alimentaire",
                        "Régime alimentaire",
                        ProcedureField.Kind.CHOICE,
                        choices=(
                            "Standard",
                            "Sans porc",
                            "Végétarien",
                            "Projet d'accueil individualisé (PAI)",
                        ),
                    ),
                    FieldSpec(
                        "allergies",
                        "Allergies ou intolérances alimentaires",
                        ProcedureField.Kind.LONG_TEXT,
                        required=False,
                        help_text="Précisez les aliments concernés.",
                    ),
                ),
            ),
            ProcedureSpec(
                slug="accueil-periscolaire",
                title="Inscription à l'accueil périscolaire",
                summary="Inscrire votre enfant à l'accueil du matin, du soir ou du mercredi.",
                description=(
                    "L'accueil périscolaire a lieu dans chaque école : le matin de 7 h 30 à "
                    "8 h 20, le soir de 16 h 30 à 18 h 30, et le mercredi toute la journée au "
                    "centre de loisirs. Il est facturé selon le quotient familial.\n\n"
                    "Les enfants dont les deux parents travaillent sont prioritaires le "
                    "mercredi : joignez une attestation de vos employeurs."
                ),
                service=EDUCATION,
                concerns=Procedure.Concerns.CHILD,
                fields=(
                    FieldSpec(
                        "temps_accueil",
                        "Temps d'accueil",
                        ProcedureField.Kind.MULTIPLE_CHOICE,
                        choices=(
                            "Matin (7 h 30 – 8 h 20)",
                            "Soir (16 h 30 – 18 h 30)",
                            "Mercredi (journée)",
                        ),
                    ),
                    FieldSpec("date_debut", "À partir du", ProcedureField.Kind.DATE),
                ),
                documents=(
                    DocumentSpec(
                        "Attestation employeur",
                        "Facultative : pour la priorité du mercredi.",
                    ),
                ),
            ),
        ),
    ),
    ThemeSpec(
        slug="environnement",
        title="Environnement",
        description="Collecte des encombrants et propreté de la commune.",
        procedures=(
            ProcedureSpec(
                slug="collecte-des-encombrants",
                title="Collecte des encombrants",
                summary="Faire enlever gratuitement vos objets volumineux devant chez vous.",
                description=(
                    "Meubles, matelas, gros électroménager : la mairie les enlève "
                    "gratuitement devant votre domicile, jusqu'à 3 m³ par passage. Les "
                    "gravats, déchets verts, pneus et produits dangereux vont en déchèterie.\n\n"
                    "Indiquez la date qui vous convient : la mairie fixe la date de passage en "
                    "acceptant votre demande, et vous recevez un rappel la veille pour sortir "
                    "vos encombrants."
                ),
                service=PROPRETE,
                concerns=Procedure.Concerns.HOUSEHOLD,
                has_appointment=True,
                reminder_text="sortez vos encombrants dans la rue le {date}",
                fields=(
                    FieldSpec(
                        "date_souhaitee",
                        "Date souhaitée",
                        ProcedureField.Kind.DATE,
                        help_text="La mairie vous confirme la date de passage.",
                    ),
                    FieldSpec(
                        "description_objets",
                        "Description des objets",
                        ProcedureField.Kind.LONG_TEXT,
                        help_text="Par exemple : un canapé trois places, un réfrigérateur.",
                    ),
                    FieldSpec(
                        "volume_estime",
                        "Volume estimé (m³)",
                        ProcedureField.Kind.NUMBER,
                        help_text="En mètres cubes ; un réfrigérateur fait environ 1 m³.",
                    ),
                    FieldSpec(
                        "acces",
                        "Accès",
                        ProcedureField.Kind.CHOICE,
                        choices=(
                            "Rez-de-chaussée",
                            "Étage avec ascenseur",
                            "Étage sans ascenseur",
                        ),
                    ),
                ),
            ),
        ),
    ),
    ThemeSpec(
        slug="voirie-et-espace-public",
        title="Voirie et espace public",
        description="Signaler un problème dans la rue et demander à occuper le domaine public.",
        procedures=(
            ProcedureSpec(
                slug="signaler-un-probleme",
                title="Signaler un problème sur l'espace public",
                summary="Nid-de-poule, lampadaire en panne, dépôt sauvage : prévenez les "
                "services techniques.",
                description=(
                    "Votre signalement est transmis aux services techniques, qui interviennent "
                    "selon l'urgence. Une photo les aide à localiser et à évaluer le problème.\n\n"
                    "En cas de danger immédiat, appelez la police municipale au 01 23 45 67 00."
                ),
                service=TECHNIQUES,
                concerns=Procedure.Concerns.HOUSEHOLD,
                form="signaler-un-probleme.json",
            ),
            ProcedureSpec(
                slug="permis-de-stationnement",
                title="Demande de permis de stationnement",
                summary="Réserver un emplacement dans la rue pour un déménagement, une benne "
                "ou un échafaudage.",
                description=(
                    "Déposez votre demande au moins 15 jours avant la date. L'arrêté "
                    "d'autorisation vous est envoyé ; les panneaux sont à poser 48 heures "
                    "avant.\n\n"
                    "Sans réponse de la mairie dans un délai de deux mois, la demande est "
                    "rejetée."
                ),
                service=TECHNIQUES,
                concerns=Procedure.Concerns.HOUSEHOLD,
                silence_rule=Procedure.Silence.REFUSAL,
                silence_delay_days=60,
                form="permis-de-stationnement.json",
            ),
        ),
    ),
    ThemeSpec(
        slug="citoyennete",
        title="Citoyenneté",
        description="Inscription sur les listes électorales et recensement citoyen.",
        procedures=(
            ProcedureSpec(
                slug="inscription-listes-electorales",
                title="Inscription sur les listes électorales",
                summary="Vous inscrire pour voter dans la commune.",
                description=(
                    "Vous pouvez vous inscrire toute l'année ; pour voter à une élection, "
                    "inscrivez-vous au plus tard le sixième vendredi qui la précède. Il faut "
                    "avoir 18 ans, être de nationalité française (ou européenne pour les "
                    "élections municipales et européennes) et habiter ou payer des impôts "
                    "locaux dans la commune.\n\n"
                    "Les jeunes recensés à 16 ans sont inscrits d'office à leur majorité."
                ),
                service=ELECTIONS,
                concerns=Procedure.Concerns.ADULT,
                fields=(
                    FieldSpec(
                        "motif",
                        "Motif de l'inscription",
                        ProcedureField.Kind.CHOICE,
                        choices=(
                            "Arrivée dans la commune",
                            "Changement d'adresse dans la commune",
                            "Acquisition de la nationalité française",
                            "Première inscription",
                        ),
                    ),
                ),
                documents=(IDENTITY, PROOF_OF_ADDRESS),
            ),
            ProcedureSpec(
                slug="recensement-citoyen",
                title="Recensement citoyen à 16 ans",
                summary="Recenser votre enfant dans les trois mois qui suivent ses 16 ans.",
                description=(
                    "Tout jeune de nationalité française doit se faire recenser entre le jour "
                    "de ses 16 ans et la fin du troisième mois qui suit. La mairie délivre une "
                    "attestation de recensement, demandée pour s'inscrire aux examens et au "
                    "permis de conduire, et inscrit le jeune d'office sur les listes "
                    "électorales à 18 ans.\n\n"
                    "Le recensement est suivi de la Journée défense et citoyenneté (JDC)."
                ),
                service=ELECTIONS,
                concerns=Procedure.Concerns.ANY_MEMBER,
                fields=(
                    FieldSpec(
                        "nationalite_francaise",
                        "Je certifie que la personne concernée est de nationalité française",
                        ProcedureField.Kind.CHECKBOX,
                    ),
                ),
                documents=(
                    DocumentSpec(
                        "Pièce d'identité du jeune",
                        "Carte nationale d'identité ou passeport.",
                    ),
                    DocumentSpec("Livret de famille"),
                ),
            ),
        ),
    ),
    ThemeSpec(
        slug="vie-associative-et-salles",
        title="Vie associative et salles",
        description="Réserver une salle municipale pour un événement familial ou associatif.",
        procedures=(
            ProcedureSpec(
                slug="reservation-de-salle",
                title="Demande de réservation de salle municipale",
                summary="Louer la salle des fêtes ou une salle de réunion.",
                description=(
                    "Les salles sont louées aux habitants et aux associations de la commune, "
                    "selon les tarifs votés par le conseil municipal. Déposez votre demande au "
                    "moins un mois avant la date.\n\n"
                    "Sans réponse de la mairie dans un délai de deux mois, la demande est "
                    "rejetée."
                ),
                service=VIE_ASSOCIATIVE,
                concerns=Procedure.Concerns.HOUSEHOLD,
                silence_rule=Procedure.Silence.REFUSAL,
                silence_delay_days=60,
                form="reservation-de-salle.json",
            ),
        ),
    ),
    ThemeSpec(
        slug="sport-et-culture",
        title="Sport et culture",
        description="Conservatoire, équipements sportifs et culturels de la commune.",
        procedures=(
            ProcedureSpec(
                slug="inscription-ecole-de-musique",
                title="Inscription à l'école de musique",
                summary="Inscrire un membre du foyer au conservatoire municipal.",
                description=(
                    "Le conservatoire accueille enfants et adultes, dès 7 ans pour un "
                    "instrument. Les cours d'instrument sont individuels ; la formation "
                    "musicale se suit en groupe.\n\n"
                    "Les places sont attribuées en septembre, les anciens élèves d'abord."
                ),
                service=CONSERVATOIRE,
                concerns=Procedure.Concerns.ANY_MEMBER,
                fields=(
                    FieldSpec(
                        "instrument",
                        "Instrument",
                        ProcedureField.Kind.CHOICE,
                        choices=(
                            "Piano",
                            "Guitare",
                            "Violon",
                            "Violoncelle",
                            "Flûte traversière",
                            "Clarinette",
                            "Trompette",
                            "Batterie",
                            "Formation musicale seule",
                        ),
                    ),
                    FieldSpec(
                        "niveau",
                        "Niveau",
                        ProcedureField.Kind.CHOICE,
                        choices=("Débutant", "1er cycle", "2e cycle", "3e cycle"),
                    ),
                    FieldSpec(
                        "commentaire", "Commentaire", ProcedureField.Kind.LONG_TEXT, required=False
                    ),
                ),
            ),
        ),
    ),
)


def procedure_upsert(*, theme: Theme, spec: ProcedureSpec, order: int) -> Procedure:
    procedure, _ = Procedure.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "theme": theme,
            "title": spec.title,
            "summary": spec.summary,
            "description": spec.description,
            "kind": spec.kind,
            "certificate": spec.certificate,
            "concerns": spec.concerns,
            "account_required": spec.account_required,
            "captcha_required": spec.captcha_required,
            "published": True,
            "order": order,
            "service_name": spec.service.name,
            "service_contact": spec.service.contact,
            "silence_rule": spec.silence_rule,
            "silence_delay_days": spec.silence_delay_days,
            "has_appointment": spec.has_appointment,
            "reminder_text": spec.reminder_text,
        },
    )
    if spec.form:
        form_upsert(procedure, exchange.read(form_file(spec.form)))
        return procedure
    for position, definition in enumerate(spec.fields, start=1):
        ProcedureField.objects.update_or_create(
            procedure=procedure,
            name=definition.name,
            defaults={
                "label": definition.label,
                "kind": definition.kind,
                "required": definition.required,
                "help_text": definition.help_text,
                "choices": "\n".join(definition.choices),
                "order": position * 10,
            },
        )
    for position, document in enumerate(spec.documents, start=1):
        DocumentRequirement.objects.update_or_create(
            procedure=procedure,
            label=document.label,
            defaults={"help_text": document.help_text, "order": position * 10},
        )
    return procedure


def form_file(name: str) -> dict:
    return json.loads((FORMS / name).read_text(encoding="utf-8"))


def form_upsert(procedure: Procedure, definition: Definition) -> None:
    """Bring the procedure's form back to ``definition``: pages by their place, blocks
    and fields by name, documents by label; its conditions written anew. What the
    file does not hold (a field added since) is removed: the file is the whole form."""
    pages = []
    for position, page in enumerate(definition.pages, start=1):
        row, _ = ProcedurePage.objects.update_or_create(
            procedure=procedure,
            order=position * 10,
            defaults={"title": page.title, "condition_join": page.join},
        )
        pages.append(row)
    procedure.pages.exclude(pk__in=[row.pk for row in pages]).delete()
    fields, blocks, documents, targets = {}, [], [], []
    order = 0
    for page_row, page in zip(pages, definition.pages, strict=True):
        targets.append(({"page": page_row}, page.conditions))
        for item in page.items:
            order += 10
            if isinstance(item, Block):
                block, _ = FieldBlock.objects.update_or_create(
                    procedure=procedure,
                    name=item.name,
                    defaults={
                        "page": page_row,
                        "label": item.label,
                        "min_items": item.min_items,
                        "max_items": item.max_items,
                        "order": order,
                        "condition_join": item.join,
                    },
                )
                blocks.append(block.pk)
                targets.append(({"block": block}, item.conditions))
                for question in item.questions:
                    order += 10
                    row = question_upsert(procedure, question, order, page_row, block)
                    fields[question.name] = row
                    targets.append(({"field": row}, question.conditions))
            else:
                row = question_upsert(procedure, item, order, page_row, None)
                fields[item.name] = row
                targets.append(({"field": row}, item.conditions))
    for position, document in enumerate(definition.documents, start=1):
        row, _ = DocumentRequirement.objects.update_or_create(
            procedure=procedure,
            label=document.label,
            defaults={
                "help_text": document.help_text,
                "order": position * 10,
                "condition_join": document.join,
            },
        )
        documents.append(row.pk)
        targets.append(({"document": row}, document.conditions))
    procedure.fields.exclude(pk__in=[row.pk for row in fields.values()]).delete()
    procedure.blocks.exclude(pk__in=blocks).delete()
    procedure.documents.exclude(pk__in=documents).delete()
    procedure.conditions.all().delete()
    Condition.objects.bulk_create(
        Condition(
            procedure=procedure,
            source=fields.get(rule.source),
            operator=rule.operator,
            value=rule.value,
            **target,
        )
        for target, rules in targets
        for rule in rules
    )


def question_upsert(procedure, question, order, page, block) -> ProcedureField:
    row, _ = ProcedureField.objects.update_or_create(
        procedure=procedure,
        name=question.name,
        defaults={
            "label": question.label,
            "kind": question.kind,
            "required": question.required,
            "help_text": question.help_text,
            "choices": "\n".join(question.choices),
            "order": order,
            "page": page,
            "block": block,
            "condition_join": question.join,
            "minimum": Decimal(question.minimum) if question.minimum is not None else None,
            "maximum": Decimal(question.maximum) if question.maximum is not None else None,
            "unit": question.unit,
            "min_days": question.min_days,
            "max_days": question.max_days,
            "not_before": question.not_before,
            "accept_other": question.accept_other,
            "members_of": question.members_of,
            "file_types": question.file_types,
            "file_max_mb": question.file_max_mb,
        },
    )
    return row


def streets_seed() -> int:
    """The demo town's street register, from a small file in the BAN's format."""
    rows = read_streets(STREETS_FILE.read_text(encoding="utf-8").splitlines(), commune="99999")
    streets_import(rows)
    return len(rows)


@transaction.atomic
def seed() -> tuple[int, int]:
    """Create or refresh the demo catalogue; returns (themes, procedures) to print."""
    service_of = {slug: role.name for role in SERVICES for slug in role.themes}
    procedures = 0
    streets_seed()
    for theme_position, theme_spec in enumerate(CATALOGUE, start=1):
        theme, _ = Theme.objects.update_or_create(
            slug=theme_spec.slug,
            defaults={
                "title": theme_spec.title,
                "description": theme_spec.description,
                "order": theme_position * 10,
            },
        )
        theme.groups.set(Group.objects.filter(name=service_of[theme.slug]))
        for position, spec in enumerate(theme_spec.procedures, start=1):
            procedure_upsert(theme=theme, spec=spec, order=position * 10)
            procedures += 1
    return len(CATALOGUE), procedures
