# Report.kind loses its `choices`: the kinds registered in reports/kinds/ are the choices, so a new
# kind needs no migration. Validation moves to Report.clean(), the creation service and the forms.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_report_status_labels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="kind",
            field=models.CharField(max_length=20, verbose_name="вид"),
        ),
    ]
