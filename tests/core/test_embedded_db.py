"""The embedded PostgreSQL: starts in a directory, survives a stale pid file and a taken port."""

import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from core import embedded_db


@pytest.fixture
def pgdata(tmp_path_factory):
    path = tmp_path_factory.mktemp("pg") / "data"
    yield path
    embedded_db.stop(path)


def query(url: str, sql: str):
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchone()[0]


def test_start_stale_pid_and_port_clash(pgdata):
    url = embedded_db.ensure_running(pgdata, database="probe")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE blijft (x int); INSERT INTO blijft VALUES (42)")
    port = int((pgdata / "port").read_text())
    embedded_db.stop(pgdata)
    # Something else took our port meanwhile, and a crash left a pid file pointing at nothing.
    blocker = socket.socket()
    blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the port may be in TIME_WAIT
    blocker.bind(("127.0.0.1", port))
    blocker.listen()
    (pgdata / "postmaster.pid").write_text(f"999999\n{pgdata}\n0\n{port}\n\n\n\nready\n")
    try:
        url = embedded_db.ensure_running(pgdata, database="probe")
        assert f":{port}/" not in url
        assert query(url, "SELECT x FROM blijft") == 42  # data survived the restart
    finally:
        blocker.close()


def test_ensure_running_twice_reuses_the_server(pgdata):
    first = embedded_db.ensure_running(pgdata, database="eerste")
    second = embedded_db.ensure_running(pgdata, database="tweede")
    assert first.rsplit("/", 1)[0] == second.rsplit("/", 1)[0]


def test_demo_credentials_refused_without_debug():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='core.settings'; django.setup()"
    env = {
        "SWC_DEMO": "1",
        "DEBUG": "0",
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert result.returncode != 0
    assert "Democredentials (SWC_DEMO=1) worden geweigerd" in result.stderr
