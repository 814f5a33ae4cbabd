"""The shipped areas, and every ИОМ typed before diagnostics becomes a route of the new kind: its goals text
becomes its first step and each of its deficits a step in that area (the route's own fields stay as they were)."""
from django.db import migrations


def forward(apps, schema_editor):
    from diagnostics.areas import create_shipped_areas

    using = schema_editor.connection.alias
    create_shipped_areas(using=using, apps=apps)
    Route = apps.get_model("clusters", "IndividualRoute")
    Area = apps.get_model("diagnostics", "Area")
    Step = apps.get_model("diagnostics", "RouteStep")
    areas = {area.code: area for area in Area.objects.using(using).all()}
    status = {"completed": "done", "cancelled": "cancelled", "active": "in_progress"}
    steps = []
    for route in Route.objects.using(using).filter(steps__isnull=True).iterator():
        step_status = status.get(route.status, "planned")
        position = 0
        if route.goals.strip():
            steps.append(Step(route=route, position=position, kind="other", title=route.goals.strip(),
                              due_on=route.ends_on, status=step_status))
            position += 1
        for code in route.deficits or []:
            area = areas.get(code)
            if area is None:
                continue
            steps.append(Step(route=route, position=position, kind="other", area=area,
                              title=f"Устранение дефицита: {area.name}", due_on=route.ends_on, status=step_status))
            position += 1
    Step.objects.using(using).bulk_create(steps, batch_size=1000)


def backward(apps, schema_editor):
    apps.get_model("diagnostics", "RouteStep").objects.using(schema_editor.connection.alias).filter(
        completion__isnull=True, training_program__isnull=True, mentor__isnull=True, community__isnull=True,
        event__isnull=True, kind="other").delete()


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial"), ("clusters", "0007_teacher_email")]
    operations = [migrations.RunPython(forward, backward)]
