"""Everything `make run` needs before serving: migrations, schemas, home page, demo data."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migreert, laadt schema's, zet de startpagina en (met SWC_DEMO) de demodata klaar."

    def handle(self, *args, **options):
        from core.site.setup import ensure_home_page
        from core.tasks import ensure_periodic_tasks

        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_schemas")
        ensure_home_page()
        ensure_periodic_tasks()
        if settings.DEMO:
            from core.demo import ensure_demo_data

            for line in ensure_demo_data():
                self.stdout.write(f"demo: {line}")
        self.stdout.write(self.style.SUCCESS("Klaar om te starten."))
