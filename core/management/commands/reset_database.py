"""Start again from an empty database (drops and recreates every table in it)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Maakt de database leeg en migreert opnieuw."

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="Niet om bevestiging vragen.")

    def handle(self, *args, yes=False, **options):
        if not yes:
            raise CommandError("Dit wist alle gegevens; herhaal met --yes.")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_schemas")
        self.stdout.write(self.style.SUCCESS("Database leeggemaakt en opnieuw ingericht."))
