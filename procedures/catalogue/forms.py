"""The catalogue's search box."""

from django import forms


class SearchForm(forms.Form):
    """« Rechercher une démarche »: what the database cannot hold (a NUL byte) is a form
    error, never a query."""

    q = forms.CharField(required=False, max_length=100)
