"""Template helpers of the pages that show requests."""

from django import template

from procedures.progress import progress_in

register = template.Library()


@register.inclusion_tag("procedures/_progress_bar.html")
def progress_bar(request):
    """The progress bar of a request, with the words a screen reader says instead: the
    steps are procedures.progress's, the markup is the template's."""
    return {"progress": progress_in(request.state)}
