"""`manage.py import_gemma FILE [--dry-run]`: import a GEMMA release and print the report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Importeert een GEMMA-release (AMEFF, .xml of .xml.gz) en toont het verslag."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Het AMEFF-bestand (.xml of .xml.gz).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alles controleren en het verslag tonen, maar niets opslaan.",
        )

    def handle(self, *args, **options):
        from plugins.ameff_export.importer import import_file

        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}.") from None
        try:
            report = import_file(content, dry_run=options["dry_run"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Klaar."))
