"""The demo: the data `manage.py seed_demo` loads for a newcomer and the bench's town.

It depends on the apps (it goes through their services, as a citizen and a clerk
would) and no app depends on it: removing ``demo`` from INSTALLED_APPS leaves a
working portal without its demonstration data.
"""
