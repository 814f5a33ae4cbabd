"""A value's indicator and district checked by one foreign key instead of two (issue 15.5).

A recompute's first write of a period inserts thousands of values, and PostgreSQL checks every foreign key
of every row at commit, one lookup each: district, indicator, period and the organisation (or cluster)
— four per row, the largest part of the write. The district of a value is its programme's (the
factories, the recompute, the grids and the demo all write it so, and tests/test_factories.py says
it); that is now what the database keeps, with one check where there were two:

- monitoring_indicator gets a column `district_id` (not a Django field), set from the programme by a
  trigger on insert and when the programme changes, and a foreign key (programme_id, district_id) →
  monitoring_programme (id, district_id) ON UPDATE CASCADE, so it is always its programme's district
  (moving a programme to another district carries its indicators along);
- monitoring_value's foreign keys district_id → clusters_district and indicator_id →
  monitoring_indicator are replaced by one: (indicator_id, district_id) → monitoring_indicator
  (id, district_id), deferred like the others, ON UPDATE CASCADE (values follow their indicator).

The same guarantees are kept: the indicator exists (the composite key names it); the district exists
(it is the indicator's, which is the programme's, and monitoring_programme.district_id keeps its own
foreign key to clusters_district with PROTECT, so a district with values cannot be deleted); and
a new one: a value cannot name another district than its programme's. Deleting an indicator still
deletes its values and deleting a district with values is still refused, by Django as before.
Existing rows are validated when the key is added (the migration fails if some value's district
differs from its programme's; the demo and the city have none).

On SQLite (tests, a laptop) there is no such key: the two fields lose their database constraint and
Django's on_delete keeps deleting and protecting as before.
"""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = [
    "ALTER TABLE monitoring_indicator ADD COLUMN district_id bigint",
    "UPDATE monitoring_indicator AS i SET district_id = p.district_id FROM monitoring_programme AS p "
    "WHERE p.id = i.programme_id",
    "ALTER TABLE monitoring_indicator ALTER COLUMN district_id SET NOT NULL",
    """CREATE FUNCTION monitoring_indicator_district() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT district_id INTO NEW.district_id FROM monitoring_programme WHERE id = NEW.programme_id;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER monitoring_indicator_district BEFORE INSERT OR UPDATE OF programme_id ON monitoring_indicator "
    "FOR EACH ROW EXECUTE FUNCTION monitoring_indicator_district()",
    "ALTER TABLE monitoring_programme ADD CONSTRAINT programme_id_district_key UNIQUE (id, district_id)",
    "ALTER TABLE monitoring_indicator ADD CONSTRAINT indicator_id_district_key UNIQUE (id, district_id)",
    "ALTER TABLE monitoring_indicator ADD CONSTRAINT indicator_programme_district_fk "
    "FOREIGN KEY (programme_id, district_id) REFERENCES monitoring_programme (id, district_id) "
    "ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE monitoring_value ADD CONSTRAINT value_indicator_district_fk "
    "FOREIGN KEY (indicator_id, district_id) REFERENCES monitoring_indicator (id, district_id) "
    "ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED",
]
BACKWARD = [
    "ALTER TABLE monitoring_value DROP CONSTRAINT value_indicator_district_fk",
    "ALTER TABLE monitoring_indicator DROP CONSTRAINT indicator_programme_district_fk",
    "ALTER TABLE monitoring_indicator DROP CONSTRAINT indicator_id_district_key",
    "ALTER TABLE monitoring_programme DROP CONSTRAINT programme_id_district_key",
    "DROP TRIGGER monitoring_indicator_district ON monitoring_indicator",
    "DROP FUNCTION monitoring_indicator_district()",
    "ALTER TABLE monitoring_indicator DROP COLUMN district_id",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('clusters', '0010_exportlog_role_city'),
        ('monitoring', '0005_value_indexes_for_queries'),
    ]

    operations = [
        migrations.AlterField(
            model_name='value',
            name='district',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clusters.district', verbose_name='район'),
        ),
        migrations.AlterField(
            model_name='value',
            name='indicator',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='values', to='monitoring.indicator', verbose_name='показатель'),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
