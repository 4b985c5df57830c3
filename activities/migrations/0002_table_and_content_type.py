# The table of the activities, on every database: made here on a new one; on a
# database from before the move it is there already (made by clients' migrations),
# and its content type moves here, so permissions and admin history follow.

from django.db import migrations


def create_table_unless_present(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    tables = schema_editor.connection.introspection.table_names()
    if Activity._meta.db_table not in tables:
        schema_editor.create_model(Activity)


def drop_table(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("activities", "Activity"))


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    moved = ContentType.objects.filter(app_label="activities", model="activity")
    if not moved.exists():
        ContentType.objects.filter(app_label="clients", model="activity").update(
            app_label="activities"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_table_unless_present, drop_table),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
