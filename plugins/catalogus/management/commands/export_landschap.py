"""`manage.py export_landschap <organisatie> --formaat <slug> [--output FILE] [--als E-MAIL]
[filters]`: a landscape as a file for scripts. The organisation is a CBS code, a KvK number
or a uuid.

With `--als` the export holds what that user sees: through their membership of the
organisation, else their functioneel-beheer membership. Without it the command exports as
functioneel beheer (all published gebruik, no organisation's interne aantekening) and says
so on stderr, so nobody mistakes the file for what a gemeente's own users see."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from core.plugins.accounts import (
    acting_actors,
    functioneel_beheer_actor,
    organisations_by_code,
)
from plugins.catalogus.exports import (
    LANDSCAPE_KINDS,
    ExportRefused,
    UnknownFormat,
    landscape_export,
)
from plugins.catalogus.landscape import LIST_KEYS, InvalidFilter, LandscapeFilter
from plugins.catalogus.selection import LANDSCHAP

CHANNEL = "system"


def find_organisation(value: str):
    """By uuid, CBS code (0344 or GM0344) or KvK number; a CommandError in Dutch otherwise."""
    found = organisations_by_code(value)
    if not found:
        raise CommandError(f"Geen organisatie gevonden met CBS-code, KvK-nummer of uuid {value!r}.")
    if len(found) > 1:
        names = ", ".join(f"{o.display_name} ({o.uuid})" for o in found)
        raise CommandError(f"Meerdere organisaties met KvK-nummer {value}: {names}. Geef de uuid.")
    return found[0]


def functioneel_beheer():
    """Functioneel beheer without a person (core.plugins.accounts.functioneel_beheer_actor)."""
    actor = functioneel_beheer_actor(channel=CHANNEL)
    if actor is None:
        raise CommandError(
            "Er is geen VNG-organisatie om als functioneel beheer te exporteren; gebruik --als."
        )
    return actor


def user_actor(email: str, organisation):
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"Geen gebruiker met e-mailadres {email!r}.")
    actors = acting_actors(user, channel=CHANNEL)
    own = [a for a in actors if a.organisation.pk == organisation.pk]
    beheer = [a for a in actors if a.is_functioneel_beheerder]
    if own or beheer:
        return (own or beheer)[0]
    raise CommandError(
        f"{user.email} is geen actief lid van {organisation.display_name} en geen "
        "functioneel beheerder."
    )


class Command(BaseCommand):
    help = "Exporteert het applicatielandschap van een gemeente of samenwerking als bestand."

    def add_arguments(self, parser):
        parser.add_argument("organisatie", help="CBS-code, KvK-nummer of uuid")
        parser.add_argument("--formaat", required=True, help="bijv. ameff, csv, xlsx")
        parser.add_argument("--soort", default=LANDSCHAP, choices=LANDSCAPE_KINDS)
        parser.add_argument("--blad", default="", help="alleen CSV: welk blad (bijv. Diensten)")
        parser.add_argument("--output", help="bestand; zonder: naar stdout")
        parser.add_argument("--als", metavar="E-MAIL", help="exporteer als deze gebruiker")
        parser.add_argument(
            "--filter", default="", help='de filter als querystring, bijv. "status=In+productie"'
        )
        parser.add_argument("--zoek")
        for key in LIST_KEYS:
            parser.add_argument(f"--{key}", action="append", default=[], help="herhaalbaar")
        parser.add_argument("--herkomst", choices=["eigen", "samenwerking"])
        parser.add_argument("--sorteer")

    def handle(self, *args, **options):
        organisation = find_organisation(options["organisatie"])
        if options["als"]:
            actor = user_actor(options["als"], organisation)
            self.stderr.write(
                f"Export als {actor.user.email} ({actor.role} bij "
                f"{actor.organisation.display_name})."
            )
        else:
            actor = functioneel_beheer()
            self.stderr.write(
                "Export als functioneel beheer (zonder --als): alle gepubliceerde gegevens, "
                "zonder interne aantekeningen van organisaties."
            )
        try:
            export = landscape_export(
                actor,
                organisation,
                options["formaat"],
                self._filter(options),
                options["soort"],
                options["blad"],
            )
        except (ExportRefused, UnknownFormat, InvalidFilter) as exc:
            raise CommandError(str(exc)) from exc
        self._write(export, options["output"])
        target = options["output"] or "stdout"
        self.stderr.write(
            f"{options['soort'].capitalize()} van {organisation.display_name} geschreven naar "
            f"{target} ({export.exporter.naam}, {export.filename})."
        )

    @staticmethod
    def _filter(options) -> LandscapeFilter:
        query = QueryDict(options["filter"], mutable=True)
        for key in LIST_KEYS:
            for value in options[key]:
                query.appendlist(key, value)
        for key in ("zoek", "herkomst", "sorteer"):
            if options[key]:
                query[key] = options[key]
        return LandscapeFilter.from_query(query)

    def _write(self, export, output: str | None) -> None:
        if not output:
            out = getattr(self.stdout._out, "buffer", self.stdout._out)
            for chunk in export.chunks():
                out.write(chunk)
            out.flush()
            return
        path = Path(output)
        try:
            with path.open("wb") as out:
                for chunk in export.chunks():
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)  # no half-written file that looks complete
            raise
