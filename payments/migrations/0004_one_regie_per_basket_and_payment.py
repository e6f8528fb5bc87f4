"""A basket line's invoice and a payment line's invoice belong to the basket's (the
payment's) régie: a trigger on PostgreSQL, the database that runs the town's portal.

A composite foreign key cannot say it (the régie may be empty, and an empty column
skips the check); these triggers compare with IS DISTINCT FROM, so empty matches only
empty. SQLite (the embedded default) relies on the services' checks alone.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION payments_line_same_regie() RETURNS trigger AS $$
DECLARE
    invoice_regie bigint;
    owner_regie bigint;
BEGIN
    SELECT regie_id INTO invoice_regie FROM payments_invoice WHERE id = NEW.invoice_id;
    IF TG_TABLE_NAME = 'payments_basketline' THEN
        SELECT regie_id INTO owner_regie FROM payments_basket WHERE id = NEW.basket_id;
    ELSE
        SELECT regie_id INTO owner_regie FROM payments_payment WHERE id = NEW.payment_id;
    END IF;
    IF invoice_regie IS DISTINCT FROM owner_regie THEN
        RAISE EXCEPTION 'payments: invoice % is not of the régie of its %', NEW.invoice_id,
            TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGERS = """
CREATE TRIGGER payments_basketline_same_regie BEFORE INSERT OR UPDATE ON payments_basketline
    FOR EACH ROW EXECUTE FUNCTION payments_line_same_regie();
CREATE TRIGGER payments_paymentline_same_regie BEFORE INSERT OR UPDATE ON payments_paymentline
    FOR EACH ROW EXECUTE FUNCTION payments_line_same_regie();
"""
DROP = """
DROP TRIGGER IF EXISTS payments_basketline_same_regie ON payments_basketline;
DROP TRIGGER IF EXISTS payments_paymentline_same_regie ON payments_paymentline;
DROP FUNCTION IF EXISTS payments_line_same_regie();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGERS, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_regies")]

    operations = [migrations.RunPython(create, drop)]
