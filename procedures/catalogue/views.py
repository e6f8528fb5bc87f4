"""« Services en ligne »: themes, the procedures of a theme, and a search by words."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from procedures.catalogue import cache, selectors
from procedures.catalogue.forms import SearchForm
from procedures.catalogue.models import Theme


@require_GET
def catalogue(request):
    form = SearchForm(request.GET)
    words = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "active_tab": "services",
        "words": words,
        "search_errors": form.errors.get("q"),
        "themes": cache.published_themes(),
    }
    if words:
        context["results"] = selectors.search_procedures(words)
    return render(request, "procedures/catalogue.html", context)


@require_GET
def theme(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    procedures = theme.procedures.published().order_by("order", "title")
    context = {"active_tab": "services", "theme": theme, "procedures": procedures}
    return render(request, "procedures/theme.html", context)
