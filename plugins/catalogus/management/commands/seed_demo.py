"""`manage.py seed_demo --scale N`: a generated catalogue for demos and benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from plugins.catalogus.seed import DEFAULT_SEED, SeedFailed, SeedRefused, seed_demo


class Command(BaseCommand):
    help = (
        "Vult een lege catalogus met gegenereerde leveranciers, applicaties, versies en "
        "landschappen rond de echte gemeenten en GEMMA; schaal 1 is ongeveer de echte "
        "catalogus, 10 voor benchmarks. Zelfde seed, zelfde catalogus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Fractie van de echte omvang (0.02 … 100)."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Startwaarde van de toevalsgenerator."
        )

    def handle(self, *args, scale: float, seed: int, **options):
        try:
            result = seed_demo(scale=scale, seed=seed, log=self.stdout.write)
        except (SeedRefused, SeedFailed) as exc:
            raise CommandError(str(exc)) from exc
        rate = result.objects / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Klaar: {result.objects} objecten en {len(result.plan.organisations)} "
                f"organisaties in {result.seconds:.1f} s ({rate:.0f} objecten/s)."
            )
        )
