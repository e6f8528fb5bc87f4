"""« Statistiques » (``/admin/statistiques/``): the figures of a period, each as a chart
and as a table, and as CSV.

The page knows no app: each app that has figures registers a ``Section`` in its
``AppConfig.ready()`` (``registry.section_register``) — procedures its requests,
payments its invoices, appointments its bookings. A section says who may read it and
computes its figures for a user (within that user's scope) and a period, aggregated by
the database.
"""
