from django.contrib import admin
from django.urls import include, path

from accounts.views.auth import LogoutView
from citizen_portal import views
from common.captcha_audio import captcha_audio

# Our own pages in French with the site's chrome; 404.html and 403.html are found by
# Django's default handlers, which render them with the request.
handler400 = "citizen_portal.errors.bad_request"
handler500 = "citizen_portal.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("aide/", views.page, {"name": "aide"}, name="help"),
    path("mentions-legales/", views.page, {"name": "mentions_legales"}, name="legal"),
    path("donnees-personnelles/", views.page, {"name": "donnees_personnelles"}, name="privacy"),
    path("accessibilite/", views.page, {"name": "accessibilite"}, name="accessibility"),
    path(
        "accessibilite/schema-pluriannuel/",
        views.page,
        {"name": "schema_pluriannuel"},
        name="accessibility_plan",
    ),
    path("plan-du-site/", views.site_map, name="site_map"),
    path("sante/", views.health, name="health"),
    path("compte/", include("households.urls")),
    path("compte/", include("accounts.urls")),
    path("compte/", include("privacy.urls")),
    path("", include("procedures.urls")),
    path("paiements/", include("payments.urls")),
    path("messages/", include("notifications.urls")),
    path("franceconnect/", include("franceconnect.urls")),
    # Answers 404 unless the simulated provider is allowed (franceconnect/simulated.py).
    path("franceconnect-simule/", include("franceconnect.simulated")),
    path("rendez-vous/", include("appointments.urls")),
    # The national search engine's three endpoints (X-HUB-RDV-AUTH-TOKEN) and, under DEBUG
    # only, the simulated ANTS coordination API (appointments/ants/simulated.py).
    path("ants/", include("appointments.ants.urls")),
    path("captcha/ecouter/<str:key>.wav", captcha_audio, name="captcha_audio"),
    path("captcha/", include("captcha.urls")),
    # Staff log in with ProConnect (staff_login/proconnect.py); the simulated one answers
    # 404 unless allowed (staff_login/proconnect_simulated.py).
    path("agents/proconnect/", include("staff_login.urls")),
    path("agents/proconnect-simule/", include("staff_login.proconnect_simulated")),
    # The admin's « Déconnexion » logs out as the portal's does: out of ProConnect too.
    path("admin/logout/", LogoutView.as_view(next_page="admin:login"), name="admin_logout"),
    path("admin/", admin.site.urls),
]
