from django.urls import path

from appointments.ants import editor, simulated

app_name = "ants"

urlpatterns = [
    path("getManagedMeetingPoints", editor.managed_meeting_points, name="managed_meeting_points"),
    path("availableTimeSlots", editor.available_time_slots, name="available_time_slots"),
    path("searchApplicationIds", editor.search_application_ids, name="search_application_ids"),
    # Answers 404 unless ANTS_SIMULATED under DEBUG.
    path("simule/api/", simulated.root, name="simulated_root"),
    path("simule/api/status", simulated.status, name="simulated_status"),
    path("simule/api/appointments", simulated.appointments, name="simulated_appointments"),
]
