"""Everything `make run` needs before serving: migrations, schemas, reference data, demo data."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migreert, laadt schema's, zet de startpagina en (met SWC_DEMO) de demodata klaar."

    def handle(self, *args, **options):
        from core.plugins.manager import pm
        from core.reference_data.gemeenten import load_gemeenten
        from core.site.setup import ensure_home_page
        from core.site.wizard import sync_texts_of_all as sync_wizard_texts
        from core.tasks import ensure_periodic_tasks

        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_schemas")
        ensure_home_page()
        ensure_periodic_tasks()
        self._say("wizardteksten", [[f"{sync_wizard_texts()} nieuw"]])
        self._say("referentiedata", [load_gemeenten(), *pm.hook.load_reference_data()])
        if settings.DEMO:
            from core.demo import ensure_demo_data

            self._say("demo", [ensure_demo_data()])
            self._say("demo", pm.hook.load_demo_data())
        self.stdout.write(self.style.SUCCESS("Klaar om te starten."))

    def _say(self, prefix: str, results) -> None:
        for lines in results:
            for line in lines or []:
                self.stdout.write(f"{prefix}: {line}")
