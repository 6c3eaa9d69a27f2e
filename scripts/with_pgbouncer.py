"""Run a command with its database reached through PgBouncer in transaction mode.

    python scripts/with_pgbouncer.py postgres://postgres@127.0.0.1:5432/test -- pytest ...

Starts a PgBouncer of its own (configuration in a temporary folder, on
PGBOUNCER_PORT, 6432 unless that port is taken, then a free one), in front of
the server in the URL: every database name is passed through to that server,
clients are trusted as the user in the URL (listed in a generated userlist),
and that user may use the admin console. The command runs with DATABASE_URL
pointing at the pooler and DATABASE_POOLER=transaction, as production behind
PgBouncer would (docs/PRODUCTION.md), and DATABASE_DIRECT_URL the server itself
(the backup test's pg_dump and pg_restore go there). PgBouncer is stopped afterwards, however
the command ends; its log is printed when the command fails.

Without PgBouncer installed, CI (CI=true) fails; on a developer's machine the
command runs straight against PostgreSQL with a loud note.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg

DEFAULT_PORT = 6432
PGBOUNCER_PATHS = ("pgbouncer", "/usr/sbin/pgbouncer")


def find_pgbouncer() -> str | None:
    for candidate in PGBOUNCER_PATHS:
        if found := shutil.which(candidate):
            return found
    return None


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as probe:
            # As PgBouncer will: the port's old connections waiting to close do not hold it.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port for PgBouncer")


def quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def write_config(folder: Path, url: str, port: int) -> Path:
    parts = urlsplit(url)
    user = unquote(parts.username or "postgres")
    password = unquote(parts.password or "")
    # PgBouncer's trust still needs the user listed; a password here is the one
    # it uses to log in to the server.
    (folder / "userlist.txt").write_text(f"{quoted(user)} {quoted(password)}\n")
    (folder / "userlist.txt").chmod(0o600)
    config = folder / "pgbouncer.ini"
    config.write_text(
        "\n".join(
            [
                "[databases]",
                # Any database name, including the test databases pytest makes.
                f"* = host={parts.hostname or '127.0.0.1'} port={parts.port or 5432}",
                "",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                f"listen_port = {port}",
                "unix_socket_dir =",
                "auth_type = trust",
                f"auth_file = {folder / 'userlist.txt'}",
                f"admin_users = {user}",
                "pool_mode = transaction",
                "max_client_conn = 500",
                "default_pool_size = 20",
                f"logfile = {folder / 'pgbouncer.log'}",
                f"pidfile = {folder / 'pgbouncer.pid'}",
                "",
            ]
        )
    )
    return config


def through(url: str, port: int) -> str:
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{port}" if credentials else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def wait_until_listening(process: subprocess.Popen, url: str, log: Path) -> None:
    admin = urlsplit(url)._replace(path="/pgbouncer")
    deadline = time.monotonic() + 15
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"PgBouncer stopped at start-up:\n{read(log)}")
        try:
            with psycopg.connect(urlunsplit(admin), autocommit=True, connect_timeout=2) as conn:
                conn.execute("SHOW VERSION")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"PgBouncer did not start listening:\n{read(log)}") from None
            time.sleep(0.1)


def read(path: Path) -> str:
    return path.read_text() if path.exists() else "(no log)"


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(read(path).splitlines()[-lines:])


def unprivileged_user(folder: Path) -> list[str]:
    """PgBouncer refuses to run as root (a CI container): run it as the
    PostgreSQL package's user (or nobody), owning its folder."""
    if os.geteuid() != 0:
        return []
    import pwd

    for name in ("postgres", "nobody"):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue
        for path in (folder, *folder.iterdir()):
            os.chown(path, account.pw_uid, account.pw_gid)
        return ["-u", name]
    raise RuntimeError("running as root, and no postgres or nobody user to run PgBouncer as")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # "safe shutdown"
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") != 1 or len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    url, command = argv[0], argv[2:]
    pgbouncer = find_pgbouncer()
    if pgbouncer is None:
        message = "PgBouncer is not installed (the Debian package pgbouncer)."
        if os.environ.get("CI", "").lower() == "true":
            print(f"ERROR: {message}\nCI tests PostgreSQL through PgBouncer.", file=sys.stderr)
            return 1
        print(
            f"NOTE: {message}\nThe PostgreSQL run goes straight to the server on this "
            "machine; CI runs it through PgBouncer.",
            file=sys.stderr,
        )
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.call(command, env=env)  # noqa: S603  (the Makefile's own command)

    port = free_port(int(os.environ.get("PGBOUNCER_PORT", DEFAULT_PORT)))
    # SIGTERM (a cancelled CI job) ends the command and then PgBouncer, like Ctrl+C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="earlyhelp-pgbouncer-") as folder:
        config = write_config(Path(folder), url, port)
        log = Path(folder) / "pgbouncer.log"
        user = unprivileged_user(Path(folder))
        process = subprocess.Popen([pgbouncer, "--quiet", *user, str(config)])  # noqa: S603
        try:
            pooled = through(url, port)
            wait_until_listening(process, pooled, log)
            print(f"PgBouncer (transaction pooling) on 127.0.0.1:{port}", file=sys.stderr)
            env = {
                **os.environ,
                "DATABASE_URL": pooled,
                "DATABASE_POOLER": "transaction",
                # For what must reach the server itself (pg_dump, pg_restore).
                "DATABASE_DIRECT_URL": url,
            }
            status = subprocess.call(command, env=env)  # noqa: S603  (the Makefile's own command)
            if status != 0:
                print(f"PgBouncer's log (the end):\n{tail(log)}", file=sys.stderr)
            return status
        finally:
            stop(process)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
