"""A value's period, indicator and district checked once per statement, not once per row (issue 15.5).

A recompute's first write of a period inserts ~8,000 values in one statement, and a foreign key checks
each row on its own at commit: one lookup of the period (the same row every time) and one of the
(indicator, district) pair (five rows) per value — ~50 ms of the ~95 ms of checks at the city's scale,
more than the hand-written SQL's whole margin. The values' own tables (monitoring_period and
monitoring_indicator) are now checked by triggers that see all rows of a statement at once; the keys to
clusters_organisation, clusters_cluster and the user stay foreign keys (this app adds no triggers to
other apps' tables).

PostgreSQL only, guarantees as before:

- a value names an existing period and an indicator of its own district: checked after every INSERT
  on monitoring_value by one statement-level trigger (its rows as a transition table, one query for
  all of them), and after an UPDATE that changes period_id, indicator_id or district_id by a row trigger
  (only those rows fire it). Like a foreign key, the check locks the periods and indicators named
  (FOR KEY SHARE), so a period deleted meanwhile either waits for the insert to commit (and is then
  refused below) or is seen gone (and the insert is refused). A refusal is SQLSTATE 23503
  (foreign_key_violation: Django's IntegrityError), at the statement instead of at commit;
- a period or an indicator that still has values cannot be deleted (nor its id changed): a deferred
  constraint trigger on each, checked at commit like the NO ACTION keys were (Django deletes the
  values first: on_delete=CASCADE is unchanged);
- an indicator's values follow it to another district (the composite key's ON UPDATE CASCADE): a row
  trigger on monitoring_indicator after its district_id changes.

What a foreign key did and these do not: refuse a TRUNCATE of monitoring_period or monitoring_indicator
alone (the portal never truncates them; flush truncates every table at once). On SQLite (tests, a laptop)
there is no database check of the period either; Django's on_delete keeps cascading.
"""

from django.db import migrations, models

FORWARD = [
    "ALTER TABLE monitoring_value DROP CONSTRAINT value_indicator_district_fk",
    # The rows of one statement: each (period, indicator, district) named must exist.
    """CREATE FUNCTION monitoring_value_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    PERFORM 1 FROM monitoring_period WHERE id IN (SELECT period_id FROM new_values) FOR KEY SHARE;
    PERFORM 1 FROM monitoring_indicator WHERE id IN (SELECT indicator_id FROM new_values) FOR KEY SHARE;
    SELECT v.period_id, v.indicator_id, v.district_id INTO bad
    FROM (SELECT DISTINCT period_id, indicator_id, district_id FROM new_values) AS v
    WHERE NOT EXISTS (SELECT 1 FROM monitoring_period AS p WHERE p.id = v.period_id)
       OR NOT EXISTS (SELECT 1 FROM monitoring_indicator AS i WHERE i.id = v.indicator_id
                      AND i.district_id = v.district_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('monitoring_value: period %s, indicator %s of district %s do not exist',
                             bad.period_id, bad.indicator_id, bad.district_id),
            TABLE = 'monitoring_value', CONSTRAINT = 'value_period_indicator_district_check';
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER value_references_insert AFTER INSERT ON monitoring_value REFERENCING NEW TABLE AS new_values "
    "FOR EACH STATEMENT EXECUTE FUNCTION monitoring_value_references()",
    # An UPDATE that moves rows: only those rows (a transition table cannot be narrowed to some columns).
    """CREATE FUNCTION monitoring_value_references_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM monitoring_period WHERE id = NEW.period_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE foreign_key_violation USING MESSAGE = format('monitoring_value: period %s does not exist',
                                                           NEW.period_id),
            TABLE = 'monitoring_value', CONSTRAINT = 'value_period_indicator_district_check';
    END IF;
    PERFORM 1 FROM monitoring_indicator WHERE id = NEW.indicator_id AND district_id = NEW.district_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('monitoring_value: indicator %s of district %s does not exist',
                             NEW.indicator_id, NEW.district_id),
            TABLE = 'monitoring_value', CONSTRAINT = 'value_period_indicator_district_check';
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER value_references_update AFTER UPDATE OF period_id, indicator_id, district_id ON monitoring_value "
    "FOR EACH ROW WHEN (OLD.period_id IS DISTINCT FROM NEW.period_id OR OLD.indicator_id IS DISTINCT FROM "
    "NEW.indicator_id OR OLD.district_id IS DISTINCT FROM NEW.district_id) "
    "EXECUTE FUNCTION monitoring_value_references_row()",
    # A period or an indicator with values stays (checked at commit, as the deferred keys were).
    """CREATE FUNCTION monitoring_value_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'monitoring_period' THEN
        PERFORM 1 FROM monitoring_value WHERE period_id = OLD.id LIMIT 1;
    ELSE
        PERFORM 1 FROM monitoring_value WHERE indicator_id = OLD.id LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('%s %s still has values in monitoring_value', TG_TABLE_NAME, OLD.id),
            TABLE = TG_TABLE_NAME, CONSTRAINT = 'value_period_indicator_district_check';
    END IF;
    RETURN NULL;
END $$""",
    "CREATE CONSTRAINT TRIGGER period_values_kept AFTER DELETE OR UPDATE OF id ON monitoring_period "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION monitoring_value_referenced()",
    "CREATE CONSTRAINT TRIGGER indicator_values_kept AFTER DELETE OR UPDATE OF id ON monitoring_indicator "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION monitoring_value_referenced()",
    # An indicator's values follow it to another district (its programme moved).
    """CREATE FUNCTION monitoring_indicator_values_district() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE monitoring_value SET district_id = NEW.district_id
    WHERE indicator_id = NEW.id AND district_id <> NEW.district_id;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER indicator_values_district AFTER UPDATE OF district_id ON monitoring_indicator "
    "FOR EACH ROW WHEN (OLD.district_id IS DISTINCT FROM NEW.district_id) "
    "EXECUTE FUNCTION monitoring_indicator_values_district()",
]
BACKWARD = [
    "DROP TRIGGER indicator_values_district ON monitoring_indicator",
    "DROP FUNCTION monitoring_indicator_values_district()",
    "DROP TRIGGER indicator_values_kept ON monitoring_indicator",
    "DROP TRIGGER period_values_kept ON monitoring_period",
    "DROP FUNCTION monitoring_value_referenced()",
    "DROP TRIGGER value_references_update ON monitoring_value",
    "DROP FUNCTION monitoring_value_references_row()",
    "DROP TRIGGER value_references_insert ON monitoring_value",
    "DROP FUNCTION monitoring_value_references()",
    "ALTER TABLE monitoring_value ADD CONSTRAINT value_indicator_district_fk "
    "FOREIGN KEY (indicator_id, district_id) REFERENCES monitoring_indicator (id, district_id) "
    "ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, None)  # no parameters: format()'s %s stay as they are

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0006_value_district_through_indicator'),
    ]

    operations = [
        migrations.AlterField(
            model_name='value',
            name='period',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=models.deletion.CASCADE, related_name='values', to='monitoring.period', verbose_name='период'),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
