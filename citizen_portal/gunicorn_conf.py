"""gunicorn's settings in the image: ``gunicorn --config python:citizen_portal.gunicorn_conf``.

The access log masks tracking codes (common/logs.py) in every field it
writes, the referrer included. gunicorn caps the request line and headers and
kills a worker stuck for ``timeout`` seconds (a body trickled in slowly); the body's
size is capped by the proxy and, before anything reads it, by the portal
(citizen_portal/body_limit.py).
"""

from gunicorn.glogging import Logger

from common.logs import mask_tracking_codes

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
logger_class = "citizen_portal.gunicorn_conf.MaskingLogger"
timeout = 30
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_tracking_codes(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
