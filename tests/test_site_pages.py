"""The site-wide pages: Aide, Mentions légales, Données personnelles, Accessibilité."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

PAGES = {
    # url name: (h1, template)
    "help": ("Aide", "aide.html"),
    "legal": ("Mentions légales", "mentions_legales.html"),
    "privacy": ("Données personnelles", "donnees_personnelles.html"),
    "accessibility": ("Accessibilité", "accessibilite.html"),
}
TEMPLATES_DIR = Path(django_settings.BASE_DIR) / "templates" / "pages"

# The FAQ (the spec): one anchor per question, grouped by its five sections.
FAQ = {
    "gestion-du-compte": (
        "Gestion de mon compte",
        ["espace-citoyen", "interet-compte", "creer-compte", "modifier-compte", "se-connecter"],
    ),
    "securite": (
        "Sécurité",
        ["cryptogramme", "mot-de-passe-perdu", "protection", "transmission"],
    ),
    "demarches": (
        "Les démarches",
        [
            "faire-une-demarche",
            "pieces-papier",
            "fichier-refuse",
            "compte-en-attente",
            "sans-compte",
        ],
    ),
    "rendez-vous": (
        "Les rendez-vous",
        ["prendre-rendez-vous", "rendez-vous-passeport", "annuler-rendez-vous", "creneau-reserve"],
    ),
    "avancement": (
        "Avancement et communication avec ma mairie",
        ["repondre-mails", "suivre-demarche"],
    ),
    "paiement": (
        "Le paiement par carte bancaire",
        ["historique-factures", "aucune-facture", "panier", "regies"],
    ),
}

# Questions of the portal's own (decision documents, deadlines, verification), not the FAQ's.
DECISION_QUESTIONS = {"documents-decision", "delais", "verifier-document"}


class Outline(HTMLParser):
    """Collects the headings of <main> and the ids and in-page links of the document."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.heading = None
        self.headings: list[tuple[int, str, str | None]] = []
        self.ids: set[str] = set()
        self.anchors: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.anchors.append(attrs["href"][1:])
        if tag == "main":
            self.in_main = True
        elif self.in_main and re.fullmatch(r"h[1-6]", tag):
            self.heading = [int(tag[1]), "", attrs.get("id")]

    def handle_data(self, data):
        if self.heading is not None:
            self.heading[1] += data

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif self.heading is not None and tag == f"h{self.heading[0]}":
            level, text, anchor = self.heading
            self.headings.append((level, " ".join(text.split()), anchor))
            self.heading = None


def outline_of(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def main_of(html: str) -> str:
    """The page's own content: neither the header nor the footer (which link to every page)."""
    return html[html.index("<main") : html.index("</main>")]


def section(html: str, start_id: str, end_id: str | None = None) -> str:
    """The content between the element with id start_id and the one with id end_id."""
    html = main_of(html)
    start = html.index(f'id="{start_id}"')
    end = html.index(f'id="{end_id}"', start) if end_id else len(html)
    return html[start:end]


def footer_of(html: str) -> str:
    return html[html.index("<footer") :]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def town(settings):
    """A town whose every fact differs from the defaults, to prove the pages read settings."""
    settings.TOWN = {
        "name": "Mairie de Testbourg",
        "address": "7 rue du Test, 12345 Testbourg",
        "phone": "05 55 55 55 55",
        "email": "accueil@testbourg.example",
        "siret": "123 456 789 00012",
        "publication_director": "Mme Alice Testeuse, maire",
        "host": "Hébergeur Test SAS, 8 avenue du Nuage, 69000 Lyon",
        "dpo_name": "M. Bruno Protecteur",
        "dpo_email": "dpo@testbourg.example",
        "guichet_hours": "du lundi au jeudi de 9 h à 16 h",
        "rgaa_status": "totalement conforme",
        "rgaa_audit_date": "mars 2027",
        "accessibility_email": "a11y@testbourg.example",
    }
    return settings.TOWN


def get(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


# --- Every page -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_each_page_answers_with_its_title_and_a_single_h1(client, db, name):
    h1, _template = PAGES[name]
    html = get(client, name)
    assert f"<title>{h1} — Votre espace citoyen — " in html
    assert [text for level, text, _ in outline_of(html).headings if level == 1] == [h1]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_goes_down_the_heading_levels_one_at_a_time(client, db, name):
    levels = [level for level, _, _ in outline_of(get(client, name)).headings]
    assert levels[0] == 1
    assert 2 in levels
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"h{previous} followed by h{current}"


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_wrapped_in_prose(client, db, name):
    html = get(client, name)
    assert html.index('<div class="prose">') < html.index("<h1")


@pytest.mark.parametrize("name", PAGES)
def test_the_footer_of_each_page_shows_the_conformity_level_from_settings(client, db, town, name):
    assert "Accessibilité : totalement conforme" in footer_of(get(client, name))


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_also_served_to_a_logged_in_citizen(citizen_client, name):
    html = get(citizen_client, name)
    assert "Services en ligne" in html  # the tabs are there
    assert "<h1>" in html


@pytest.mark.parametrize("name", PAGES)
def test_each_page_loads_nothing_from_another_server(client, db, name):
    html = get(client, name)
    external = re.findall(
        r"<(?:script|link|img|iframe|audio|video|source)\b[^>]*\b(?:src|href)=\"(?:https?:)?//",
        html,
    )
    assert external == []


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_visit_sets_no_cookie_so_no_consent_banner_is_needed(client, db, name):
    response = client.get(reverse(name))
    assert dict(response.cookies) == {}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_anchors_point_to_existing_ids(client, db, name):
    outline = outline_of(get(client, name))
    assert set(outline.anchors) <= outline.ids


@pytest.mark.parametrize("template", [template for _, template in PAGES.values()])
def test_every_sentence_of_the_templates_goes_through_translation(template):
    source = (TEMPLATES_DIR / template).read_text(encoding="utf-8")
    assert "{% load i18n %}" in source
    untranslated = re.sub(
        r"{% blocktranslate.*?%}.*?{% endblocktranslate %}", " ", source, flags=re.DOTALL
    )
    untranslated = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", untranslated, flags=re.DOTALL)
    untranslated = re.sub(r"<code>.*?</code>", " ", untranslated)  # technical names (cookies)
    untranslated = re.sub(r"<[^>]+>", " ", untranslated)
    assert re.findall(r"\w+", untranslated) == []


# --- Aide -----------------------------------------------------------------------------------


def test_help_has_one_h2_per_faq_section_and_one_h3_with_an_anchor_per_question(client, db):
    outline = outline_of(get(client, "help"))
    h2 = {anchor: text for level, text, anchor in outline.headings if level == 2}
    # The FAQ's questions; « Pour les agents de la mairie » (anchors agents-…) is the
    # clerks' own section, tested below.
    h3 = [
        anchor
        for level, _, anchor in outline.headings
        if level == 3 and not (anchor or "").startswith("agents-")
    ]
    for section_id, (title, questions) in FAQ.items():
        assert h2[section_id] == title
        for question in questions:
            assert question in h3
    assert set(h3) - {q for _, questions in FAQ.values() for q in questions} == DECISION_QUESTIONS
    assert (
        len(h3)
        == sum(len(questions) for _, questions in FAQ.values()) + len(DECISION_QUESTIONS)
        == 27
    )


def test_help_tells_clerks_how_to_assign_note_and_read_the_figures(client, db):
    html = get(client, "help")
    outline = outline_of(html)
    assert (2, "Pour les agents de la mairie", "agents") in outline.headings
    clerks = [a for _, _, a in outline.headings if (a or "").startswith("agents-")]
    assert clerks == ["agents-attribuer", "agents-notes", "agents-statistiques"]
    assert set(clerks) <= set(outline.anchors)  # each in the table of contents
    for label in ("« Je m'en occupe »", "« Attribuer à »", "« Libérer »", "« Mes demandes »",
                  "« Non attribuées »", "« Notes internes »", "« Statistiques »"):  # fmt: skip
        assert label in html.replace("&#x27;", "'").replace("&#39;", "'"), label


def test_help_table_of_contents_links_to_every_section_and_question(client, db):
    html = get(client, "help")
    toc = section(html, "sommaire", "gestion-du-compte")
    for section_id, (_, questions) in FAQ.items():
        assert f'href="#{section_id}"' in toc
        for question in questions:
            assert f'href="#{question}"' in toc


def test_help_explains_how_to_create_an_account_with_the_labels_of_the_portal(client, db):
    answer = text_of(section(get(client, "help"), "creer-compte", "modifier-compte"))
    for words in (
        "« Créer un compte »",
        "« Je souhaite créer un compte »",
        "question de sécurité",
        "au moins 12 caractères",
        "une minuscule, une majuscule, un chiffre et un caractère spécial",
        "« Écouter le cryptogramme »",
        "« Confirmer et continuer »",
        "« Votre identifiant : … »",
        "en attente de validation",
    ):
        assert words in answer


def test_help_explains_how_to_modify_the_account_and_the_household(client, db):
    answer = text_of(section(get(client, "help"), "modifier-compte", "se-connecter"))
    for words in (
        "« Compte »",
        "« Modifier »",
        "« Voir la fiche »",
        "« Ajouter un adulte »",
        "« Ajouter un enfant »",
        "nom de famille déjà rempli",
    ):
        assert words in answer


def test_help_says_to_log_in_with_the_identifier_not_the_email(client, db):
    answer = text_of(section(get(client, "help"), "se-connecter", "securite"))
    for words in ("« Utilisateur »", "« Mot de passe »", "« Connexion »", "pas votre adresse"):
        assert words in answer


def test_help_explains_the_lost_password_procedure_and_its_limits(client, db):
    html = get(client, "help")
    answer = text_of(section(html, "mot-de-passe-perdu", "protection"))
    for words in (
        "« mot de passe oublié »",
        "« Confirmer »",
        "une heure",
        "une seule fois",
        "ancien mot de passe continue de fonctionner",
        "n'indique jamais si un identifiant existe",
        "5 essais infructueux",
        "15 minutes",
        "Chaque fois que votre mot de passe est changé, un mail",
    ):
        assert words in answer
    assert f'href="{reverse("accounts:password_forgotten")}"' in section(
        html, "mot-de-passe-perdu", "protection"
    )


def test_help_says_the_data_is_not_transmitted_to_other_organisations(client, db):
    answer = text_of(section(get(client, "help"), "transmission", "demarches"))
    assert "services internes de la mairie" in answer
    assert "n'est transmise à un autre organisme, public ou privé" in answer


def test_help_explains_procedures_paper_documents_and_pending_accounts(client, db, town):
    answer = text_of(section(get(client, "help"), "demarches", "avancement"))
    for words in (
        "« Services en ligne »",
        "thème",
        "documents papier",
        "Guichet Unique",
        town["address"],
        town["guichet_hours"],
        "ne pourrez pas modifier votre compte",
        "actes de naissance, de mariage et de décès",
        "sans compte",
    ):
        assert words in answer


def test_help_describes_the_mails_and_the_progress_of_requests(client, db):
    answer = text_of(section(get(client, "help"), "avancement", "paiement"))
    for words in (
        "aucune réponse",
        "« Accusé de réception »",
        "« Décision prise »",
        "« Information »",
        "encombrants",
        "« Accueil »",
        "« Demandes »",
        "barre de progression",
        "20 par page",
        "« Demandes plus anciennes »",
        "la date",
        "membre de votre foyer",
        "PDF",
    ):
        assert words in answer


def test_help_answers_the_payment_questions(client, db):
    answer = text_of(section(get(client, "help"), "paiement", "contact"))
    for words in (
        "« Paiements »",
        "3 derniers mois",
        "« Terminés »",
        "« Tous les paiements »",
        "scolaire ou périscolaire",
        "2 jours ouvrés",
        "« Impossible d'ajouter cet article, vous devez d'abord payer ceux en attente "
        "dans votre panier »",
        "« Accéder à votre panier »",
    ):
        assert words in answer


def test_help_links_to_the_other_pages_and_to_the_account_pages(client, db):
    html = get(client, "help")
    for name in (
        "privacy",
        "legal",
        "accessibility",
        "accounts:register",
        "accounts:password_forgotten",
        "home",
    ):
        assert f'href="{reverse(name)}"' in section(html, "gestion-du-compte"), name


def test_help_gives_the_guichet_unique_contact_from_settings(client, db, town):
    answer = text_of(section(get(client, "help"), "contact"))
    for fact in ("address", "guichet_hours", "phone", "email"):
        assert town[fact] in answer


# --- Mentions légales -----------------------------------------------------------------------


def test_legal_notice_names_the_publisher_director_and_host_from_settings(client, db, town):
    page = text_of(get(client, "legal"))
    for fact in ("name", "address", "phone", "email", "siret", "publication_director", "host"):
        assert town[fact] in page, fact
    for title in (
        "Éditeur du site",
        "Directeur de la publication",
        "Hébergeur",
        "Propriété intellectuelle",
        "Liens",
        "Cookies",
    ):
        assert title in page


def test_legal_notice_lists_only_the_strictly_necessary_cookies(client, db):
    html = get(client, "legal")
    cookies = re.findall(r"<code>(\w+)</code>", section(html, "cookies", "ressources"))
    assert cookies == [
        django_settings.SESSION_COOKIE_NAME,
        django_settings.CSRF_COOKIE_NAME,
        "messages",
    ]
    assert "strictement nécessaires" in text_of(html)
    assert "mesure d'audience" in text_of(html)


# --- Données personnelles -------------------------------------------------------------------


def test_privacy_page_names_the_controller_and_the_dpo_from_settings(client, db, town):
    html = get(client, "privacy")
    page = text_of(html)
    assert town["name"] in page
    assert town["dpo_name"] in page
    assert 'href="mailto:dpo@testbourg.example"' in html
    assert "dpo@mairie.example" not in html


def test_privacy_page_gives_purposes_with_their_legal_basis(client, db):
    page = text_of(get(client, "privacy"))
    assert "Mission d'intérêt public (article 6-1-e du RGPD)" in page
    assert "Obligation légale (article 6-1-c du RGPD)" in page


def test_privacy_page_lists_the_data_and_that_card_data_is_not_kept(client, db):
    page = text_of(get(client, "privacy"))
    for words in (
        "Argon2",
        "question de sécurité",
        "membres de votre foyer",
        "pièces justificatives",
        "factures",
        "carte bancaire ne sont jamais enregistrées",
        "tentatives de connexion échouées",
    ):
        assert words in page


def test_privacy_page_keeps_data_inside_the_town_hall(client, db, town):
    page = text_of(section(get(client, "privacy"), "destinataires", "conservation"))
    assert "services internes de la mairie" in page
    assert "ni transmises à un autre organisme" in page
    assert town["host"] in page
    assert "prestataire de paiement" in page


def test_privacy_page_gives_concrete_retention_periods(client, db):
    page = text_of(section(get(client, "privacy"), "conservation", "droits"))
    for period in (
        "1 an après votre dernière connexion",
        "30 jours",
        "5 ans après la décision",
        "10 ans",
    ):
        assert period in page


def test_privacy_page_explains_rights_and_the_cnil_complaint(client, db):
    page = text_of(section(get(client, "privacy"), "droits", "securite"))
    for words in (
        "droit d'accès",
        "droit de rectification",
        "droit à l'effacement",
        "droit à la limitation",
        "droit d'opposition",
        "droit à la portabilité",
        "un mois",
        "CNIL",
        "3 place de Fontenoy",
        "TSA 80715",
        "75334 Paris Cedex 07",
        "www.cnil.fr",
    ):
        assert words in page


# --- Accessibilité --------------------------------------------------------------------------


def test_accessibility_statement_has_the_standard_sections(client, db):
    titles = [text for _, text, _ in outline_of(get(client, "accessibility")).headings]
    for title in (
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Environnement de test",
        "Retour d'information et contact",
        "Voies de recours",
    ):
        assert title in titles


def test_accessibility_statement_reads_status_date_and_contact_from_settings(client, db, town):
    html = get(client, "accessibility")
    page = text_of(main_of(html))
    assert "est totalement conforme avec le référentiel général d'amélioration" in page
    assert "RGAA), version 4.1" in page
    assert "date de l'audit : mars 2027" in page
    assert "axe-core" in page
    assert 'href="mailto:a11y@testbourg.example"' in html
    assert town["address"] in page
    assert "partiellement conforme" not in html


def test_accessibility_statement_lists_the_known_limits_honestly(client, db):
    page = text_of(section(get(client, "accessibility"), "non-accessibles", "etablissement"))
    assert "cryptogramme" in page
    assert "« Écouter le cryptogramme »" in page
    assert "épelle les caractères en français" in page
    assert "ne pas être entièrement structurés" not in page  # the PDFs are tagged PDF/UA


def test_accessibility_statement_names_what_the_outside_audit_found_and_links_the_plan(client, db):
    html = get(client, "accessibility")
    page = text_of(html)
    found = ("320 pixels", "pages d'erreur", "en français", "validateur HTML du W3C", "PDF/UA")
    for words in found:
        assert words in page
    assert f'href="{reverse("accessibility_plan")}">schéma pluriannuel' in html
    plan = client.get(reverse("accessibility_plan"))
    assert plan.status_code == 200
    assert "<h1>Schéma pluriannuel de mise en accessibilité</h1>" in plan.content.decode()


def test_accessibility_statement_gives_the_defenseur_des_droits_channels(client, db):
    page = text_of(section(get(client, "accessibility"), "recours"))
    for words in ("Défenseur des droits", "formulaire en ligne", "délégué", "Libre réponse 71120"):
        assert words in page
