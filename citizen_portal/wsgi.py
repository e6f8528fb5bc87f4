import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizen_portal.settings")
# Read by settings.py: web requests get the database's statement timeout.
os.environ.setdefault("CITIZEN_PORTAL_PROCESS", "web")
application = get_wsgi_application()
