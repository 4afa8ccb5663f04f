"""DATABASE_URL points the project at any PostgreSQL server."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from core.settings import database_from_url


def test_database_url_is_parsed():
    config = database_from_url(
        "postgresql://swc:geheim%21@db.example.nl:6543/catalogus?sslmode=require"
    )
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "catalogus",
        "swc",
        "geheim!",
        "db.example.nl",
        "6543",
    )
    assert config["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("postgres:///lokaal?host=/var/run/postgresql")["HOST"] == (
        "/var/run/postgresql"
    )


def test_only_postgresql_is_accepted():
    with pytest.raises(ValueError, match="postgresql://"):
        database_from_url("sqlite:///db.sqlite3")


@pytest.mark.django_db
def test_manage_py_uses_database_url_instead_of_the_embedded_server():
    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )
    code = (
        "import django; django.setup(); from django.db import connection; "
        "print(connection.settings_dict['NAME'])"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "core.settings",
        "SWC_PGDATA": "/nonexistent/should-not-start",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == settings["NAME"]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
