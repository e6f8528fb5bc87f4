from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "Rendez-vous"

    def ready(self):
        from appointments.ics import booking_attachment
        from appointments.notify import ICS_BUILDER
        from notifications.attachments import attachment_builder_register

        attachment_builder_register(ICS_BUILDER, booking_attachment)

        from appointments import statistics

        statistics.register()
