"""Agendas, defined by « Administration fonctionnelle »; bookings, handled by the services.

An agenda's bookings are seen by the groups linked to it (``Agenda.groups``, set by a
superuser, as ``Theme.groups`` for requests); anything else is 404. A booking page is
read-only: it changes through « Présent », « Absent » and « Annuler » (services), and a
clerk books for a citizen through the add page, which calls the same service as the
citizen's form. Opening a booking writes a row of the access journal.
"""

from datetime import date, datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from appointments import selectors, services, slots
from appointments.ants.checks import NUMBER_RE, normalize
from appointments.models import (
    Agenda,
    AntsCall,
    ApplicationNumber,
    Booking,
    Closure,
    OpeningHours,
    Place,
)
from appointments.words import day_in_words, moment_in_words, time_in_words
from backoffice import journal
from backoffice.scoping import ScopedAdminMixin, SuperuserOnlyMixin
from common.read_only_admin import ReadOnlyAdminMixin

HANDLE_PERMISSION = "appointments.change_booking"


def booking_agendas(user):
    """The agendas whose bookings the user handles: superusers all, else their groups'."""
    if user.is_superuser:
        return Agenda.objects.all()
    return Agenda.objects.filter(groups__in=user.groups.all()).distinct()


@admin.register(Place)
class PlaceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "address", "postal_code", "city")
    search_fields = ("name", "city")


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Agenda)
class AgendaAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "place", "kind", "slot_minutes", "desks", "published", "planning")
    list_filter = ("kind", "published", "place")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("groups",)
    inlines = (OpeningHoursInline, ClosureInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "place", "kind", "description", "what_to_bring")}),
        (
            _("Créneaux"),
            {
                "fields": (
                    "slot_minutes",
                    "desks",
                    "min_notice_hours",
                    "max_weeks",
                    "cancel_notice_hours",
                    "one_future_per_person",
                )
            },
        ),
        (_("Publication et services"), {"fields": ("published", "order", "groups")}),
    )

    def get_queryset(self, request):
        return selectors.agendas_for_staff(request.user).select_related("place")

    def get_readonly_fields(self, request, obj=None):
        # Which groups see an agenda's bookings decides who reads whose data: superusers only.
        if request.user.is_superuser:
            return ()
        return ("groups",)

    @admin.display(description=_("planning"))
    def planning(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:appointments_agenda_planning", args=[obj.pk]),
            gettext("Jour et semaine"),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/planning/",
                wrap(require_GET(self.planning_view)),
                name="appointments_agenda_planning",
            ),
            *super().get_urls(),
        ]

    def planning_view(self, request, object_id):
        """The agenda's day or week, printable: who comes when, and the free places."""
        if not request.user.has_perm("appointments.view_booking"):
            raise PermissionDenied
        agenda = self.get_object(request, object_id)
        if not booking_agendas(request.user).filter(pk=agenda.pk).exists():
            raise Http404
        agenda = slots.with_calendar(Agenda.objects.filter(pk=agenda.pk)).get()
        first = planning_day(request.GET.get("jour", ""))
        week = request.GET.get("vue") == "semaine"
        if week:
            first = first - timedelta(days=first.weekday())
        last = first + timedelta(days=6 if week else 0)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{agenda.title} — {day_in_words(first)}"
            + (f" au {day_in_words(last)}" if week else ""),
            "agenda": agenda,
            "opts": self.model._meta,
            "days": planning_days(agenda, first, last),
            "week": week,
            "previous": (first - timedelta(days=7 if week else 1)).isoformat(),
            "following": (first + timedelta(days=7 if week else 1)).isoformat(),
            "first": first.isoformat(),
            "can_book": request.user.has_perm("appointments.add_booking"),
            "counts": selectors.no_show_counts([agenda]).get(agenda.pk, {}),
        }
        return TemplateResponse(request, "admin/appointments/planning.html", context)


def planning_day(text: str) -> date:
    """The day asked, or today: also for a day within two weeks of the calendar's ends,
    whose week, previous and following pages cannot be counted."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return timezone.localdate()
    margin = timedelta(days=14)
    return day if date.min + margin < day < date.max - margin else timezone.localdate()


def planning_days(agenda: Agenda, first: date, last: date) -> list[dict]:
    """Each day: its slots, who is booked on each, how many places are left."""
    low, high = slots.range_bounds(first, last)
    bookings = list(
        Booking.objects.active()
        .filter(agenda=agenda, starts_at__gte=low, starts_at__lt=high)
        .prefetch_related("applications")
        .order_by("starts_at", "pk")
    )
    taken = slots.taken_counts([agenda], first, last).get(agenda.pk, {})
    by_start: dict[datetime, list] = {}
    for booking in bookings:
        by_start.setdefault(booking.starts_at, []).append(booking)
    days = []
    for day in slots.days_between(first, last):
        reason = slots.closure_reason(agenda, day)
        rows = []
        for hours in agenda.opening_hours.all():
            if hours.weekday != day.weekday() or reason:
                continue
            for start in slots.period_starts(agenda, day, hours):
                rows.append(
                    {
                        "start": start,
                        "label": time_in_words(start),
                        "bookings": by_start.get(start, []),
                        "free": max(agenda.desks - taken.get(start, 0), 0),
                        "stamp": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
                    }
                )
        days.append({"day": day, "label": day_in_words(day), "closed": reason, "rows": rows})
    return days


class ApplicationNumberInline(admin.TabularInline):
    model = ApplicationNumber
    extra = 0
    can_delete = False
    fields = ("number",)
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Whoever reads the booking reads its numbers (no permission of their own).
        return request.user.has_perm("appointments.view_booking")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StaffBookingForm(forms.ModelForm):
    """« Réserver pour un citoyen », at the counter or on the phone: the same service as
    the citizen's form (counters locked, rules checked), in the admin's transaction."""

    day = forms.DateField(label=_("jour"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("heure"), widget=forms.TimeInput(attrs={"type": "time"}))
    applications = forms.CharField(
        label=_("numéros de pré-demande"),
        required=False,
        help_text=_("Titres d'identité : un numéro par personne, séparés par des espaces."),
    )
    account_identifier = forms.CharField(
        label=_("identifiant du compte du citoyen"), required=False, max_length=32
    )

    class Meta:
        model = Booking
        fields = ("agenda", "people", "first_name", "last_name", "email", "phone")

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        if staff is not None:
            self.fields["agenda"].queryset = booking_agendas(staff).filter(published=True)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        agenda = cleaned["agenda"]
        starts_at = timezone.make_aware(datetime.combine(cleaned["day"], cleaned["time"]))
        numbers = [normalize(n) for n in cleaned.get("applications", "").split() if n.strip()]
        if any(not NUMBER_RE.match(number) for number in numbers):
            self.add_error(
                "applications", _("Un numéro compte 10 caractères, lettres et chiffres.")
            )
            return cleaned
        account = None
        if cleaned.get("account_identifier"):
            account = User.objects.filter(
                identifier=cleaned["account_identifier"].strip(), is_staff=False
            ).first()
            if account is None:
                self.add_error(
                    "account_identifier", _("Aucun compte de citoyen n'a cet identifiant.")
                )
                return cleaned
        try:
            self.instance, _token = services.booking_create(
                agenda=slots.with_calendar(Agenda.objects.filter(pk=agenda.pk)).get(),
                starts_at=starts_at,
                people=cleaned["people"] or 1,
                contact=services.Contact(
                    cleaned["first_name"], cleaned["last_name"], cleaned["email"], cleaned["phone"]
                ),
                applications=numbers,
                account=account,
                by=self.staff,
            )
        except services.SlotTaken:
            self.add_error("time", services.SLOT_TAKEN + ".")
        except services.BookingError as error:
            self.add_error(None, str(error))
        return cleaned


@admin.register(Booking)
class BookingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    change_form_template = "admin/appointments/booking/change_form.html"
    list_display = ("starts_at_local", "full_name", "agenda", "people", "state")
    list_filter = ("state", "agenda")
    search_fields = ("last_name", "first_name", "email", "applications__number")
    date_hierarchy = "starts_at"
    inlines = (ApplicationNumberInline,)
    readonly_fields = (
        "agenda",
        "when",
        "people",
        "state",
        "first_name",
        "last_name",
        "email",
        "phone",
        "account",
        "booked_by",
        "created_at",
        "cancelled_at",
        "cancel_message",
        "ants_unverified",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(agenda__in=booking_agendas(request.user))
            .select_related("agenda__place", "account", "booked_by")
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def has_delete_permission(self, request, obj=None):
        return False  # A booking is cancelled (the citizen is told), never deleted.

    def has_change_permission(self, request, obj=None):
        return False  # Read-only: « Présent », « Absent », « Annuler » below.

    def has_handle_permission(self, request) -> bool:
        return request.user.has_perm(HANDLE_PERMISSION)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            staff = request.user

            class Form(StaffBookingForm):
                def __init__(self, *args, **inner):
                    super().__init__(*args, staff=staff, **inner)

            return Form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return (
                "agenda",
                "day",
                "time",
                "people",
                "applications",
                "first_name",
                "last_name",
                "email",
                "phone",
                "account_identifier",
            )
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        moment = request.GET.get("debut", "")
        try:
            start = datetime.strptime(moment, "%Y-%m-%dT%H:%M")
        except ValueError:
            return initial
        return initial | {"day": start.date(), "time": start.time()}

    def save_model(self, request, obj, form, change):
        """The service booked it during the form's validation (same transaction)."""

    def save_related(self, request, form, formsets, change):
        """Nothing more: the numbers were written by the service."""

    @admin.display(description=_("date"), ordering="starts_at")
    def starts_at_local(self, obj):
        return timezone.localtime(obj.starts_at).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=_("nom"))
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("date"))
    def when(self, obj):
        return moment_in_words(obj.starts_at)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            journal.access_record(
                staff=request.user, kind=journal.Kind.APPOINTMENT, obj=obj, citizen=obj.account
            )
        context.update(
            can_handle=bool(obj and obj.is_active and self.has_handle_permission(request)),
            states=(Booking.State.PRESENT, Booking.State.ABSENT),
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/presence/",
                wrap(require_POST(self.mark_view)),
                name="appointments_booking_mark",
            ),
            path(
                "<path:object_id>/annuler/",
                wrap(require_http_methods(["GET", "POST"])(self.cancel_view)),
                name="appointments_booking_cancel",
            ),
            *super().get_urls(),
        ]

    def handled_booking(self, request, object_id) -> Booking:
        booking = self.get_object(request, object_id)
        if not self.has_handle_permission(request):
            raise PermissionDenied
        return booking

    def mark_view(self, request, object_id):
        booking = self.handled_booking(request, object_id)
        state = request.POST.get("state", "")
        try:
            services.booking_mark(booking=booking, state=state, by=request.user)
        except services.BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, gettext("Noté : %(state)s.") % {"state": Booking.State(state).label}
            )
        return redirect("admin:appointments_booking_change", booking.pk)

    def cancel_view(self, request, object_id):
        booking = self.handled_booking(request, object_id)
        form = CancelForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.booking_cancel(
                    booking=booking, by=request.user, message=form.cleaned_data["message"]
                )
            except services.BookingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, gettext("Rendez-vous annulé ; le citoyen est prévenu."))
            return redirect("admin:appointments_booking_change", booking.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Annuler le rendez-vous de %(name)s") % {"name": booking.full_name},
            "booking": booking,
            "when": moment_in_words(booking.starts_at),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/appointments/booking/cancel.html", context)


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message au citoyen"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_("Il le reçoit par mail avec l'annulation : dites pourquoi et que faire."),
    )


@admin.register(AntsCall)
class AntsCallAdmin(SuperuserOnlyMixin, ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "action", "application_id", "attempts", "done_at", "last_error")
    list_filter = ("action",)
    search_fields = ("application_id",)
