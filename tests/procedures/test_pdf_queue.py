"""When the PDF is built: on its own queue, « pdf », which a worker of lower priority
consumes (docker-compose.yml's worker-pdf), so that at the morning rush the building
yields to the pages and to the acknowledgements' mail."""

from citizen_portal.celery import app


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_request_pdf_is_built_from_the_pdf_queue():
    assert queue_of("procedures.tasks.build_request_pdf") == "pdf"


def test_the_mail_stays_on_the_default_queue():
    assert queue_of("notifications.tasks.deliver_message") == app.conf.task_default_queue
