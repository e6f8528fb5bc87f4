"""The ground floor: code that several apps share and that knows none of them.

Only the standard library, Django and third-party packages are imported here, never
an app of the project (tests/test_architecture.py checks it): an app may build on
``common``, and ``common`` can be read, tested and changed without the apps.
"""
