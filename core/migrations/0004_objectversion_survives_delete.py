import django.db.models.deletion
from django.db import migrations, models


def copy_uuids(apps, schema_editor):
    schema_editor.execute(
        "UPDATE core_objectversion v SET object_uuid = o.uuid FROM core_object o "
        "WHERE o.id = v.object_id"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_schemaversion_property_order")]

    operations = [
        migrations.AddField(
            model_name="objectversion",
            name="object_uuid",
            field=models.UUIDField(null=True),
        ),
        migrations.RunPython(copy_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="objectversion",
            name="object_uuid",
            field=models.UUIDField(db_index=True),
        ),
        migrations.AlterField(
            model_name="objectversion",
            name="object",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="history",
                to="core.object",
            ),
        ),
    ]
