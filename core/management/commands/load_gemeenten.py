"""Load the 342 gemeenten from core/reference_data (idempotent; `prepare` runs it too)."""

from django.core.management.base import BaseCommand

from core.reference_data.gemeenten import load_gemeenten


class Command(BaseCommand):
    help = "Laadt de 342 gemeenten (CBS-code, naam, weergavenaam, provincie); idempotent."

    def handle(self, *args, **options):
        lines = load_gemeenten()
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS("Gemeenten bijgewerkt." if lines else "Gemeenten al geladen.")
        )
