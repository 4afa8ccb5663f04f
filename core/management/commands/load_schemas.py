"""Load register_schemas/ (and plugin schema folders) into the register; --check only validates."""

from django.core.management.base import BaseCommand, CommandError

from core.register import loader
from core.register.spec import SchemaError


class Command(BaseCommand):
    help = "Laadt de JSON Schema-bestanden in het register (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Alleen controleren.")

    def handle(self, *args, check=False, **options):
        if check:
            _registers, files, problems = loader.read()
            if problems:
                raise CommandError("Schemafouten:\n" + "\n".join(problems))
            self.stdout.write(f"{len(files)} schema's in orde.")
            return
        try:
            changes = loader.load()
        except SchemaError as exc:
            raise CommandError(str(exc)) from exc
        for change in changes:
            self.stdout.write(change)
        self.stdout.write(self.style.SUCCESS(f"Schema's geladen ({len(changes)} wijzigingen)."))
