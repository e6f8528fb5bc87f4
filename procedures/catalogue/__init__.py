"""The catalogue's own room: themes, procedures, their fields and documents.

``models`` (re-exported by ``procedures.models``, the app's models module), ``admin``
(registered by ``procedures.admin``), ``cache`` (the published catalogue between two
edits), ``selectors``, ``forms`` and ``views`` (« Services en ligne »). The catalogue
knows nothing of requests; requests know the catalogue.
"""
