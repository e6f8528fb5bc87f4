"""The portal's settings with the baselines' URLs added: for the benchmark only.

``bench/run.py`` serves the portal with these settings; the production URLs
(citizen_portal.urls) never hold the baselines.
"""

from citizen_portal.settings import *  # noqa: F403
from citizen_portal.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline"]
ROOT_URLCONF = "bench.urls"
