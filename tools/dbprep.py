"""Make sure a PostgreSQL database answers before Django starts.

Run as ``python -m tools.dbprep`` (the Makefile does). It settles on a database URL, in order:

1. ``DATABASE_URL`` from the environment, or the default ``postgres:///greenjobs``;
2. if no server answers there, it starts the machine's PostgreSQL cluster
   (``pg_ctlcluster``) and tries again;
3. if that fails too, it starts an embedded PostgreSQL under ``.data/pg``
   (the ``pgserver`` package, which ships real PostgreSQL binaries).
   ``PG_EMBEDDED=1`` goes straight to the embedded server.

It creates the database when it is missing, writes the URL it settled on to
``.data/database_url`` for the Makefile, and prints which database it uses.
``--data-dir DIR`` puts ``pg/`` and ``database_url`` in DIR instead of ``.data``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"
DEFAULT_URL = "postgres:///greenjobs"


def log(message: str) -> None:
    print(f"[dbprep] {message}", file=sys.stderr)


def server_url(url: str) -> str:
    """The same server, but the maintenance database ``postgres``."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}/postgres{query}"


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "greenjobs"


def answers(url: str) -> bool:
    try:
        psycopg2.connect(server_url(url), connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


def start_cluster() -> bool:
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return False
    for version in sorted(os.listdir("/etc/postgresql")):
        log(f"starting the machine's PostgreSQL {version} cluster")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
        )
    return True


def start_embedded(name: str, data_dir: Path = DATA_DIR) -> str:
    """Start (or find running) the embedded server under ``data_dir/pg``; it outlives this process."""
    import pgserver

    log(f"starting the embedded PostgreSQL under {data_dir / 'pg'} (pgserver)")
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir / "pg", cleanup_mode=None)
    return server.get_uri(name)


def create_database(url: str) -> None:
    name = database_name(url)
    conn = psycopg2.connect(server_url(url), connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def settle(data_dir: Path = DATA_DIR) -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if os.environ.get("PG_EMBEDDED") == "1":
        url = start_embedded(database_name(url), data_dir)
    elif not answers(url):
        if start_cluster():
            for _ in range(20):
                if answers(url):
                    break
                time.sleep(0.5)
        if not answers(url):
            if os.environ.get("DATABASE_URL"):
                raise SystemExit(f"[dbprep] the PostgreSQL server in DATABASE_URL does not answer: {url}")
            log("no PostgreSQL server answers")
            url = start_embedded(database_name(url), data_dir)
    create_database(url)
    return url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Settle on a PostgreSQL database and record its URL.")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where pg/ and database_url go (.data)")
    data_dir = parser.parse_args(argv).data_dir.resolve()
    url = settle(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "database_url").write_text(url + "\n")
    parts = urlsplit(url)
    socket_dir = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair).get("host")
    if parts.hostname:
        where = f"{parts.hostname}:{parts.port or 5432}"
    else:
        where = f"embedded server, socket in {socket_dir}" if socket_dir else "local socket"
    print(f"Using database: PostgreSQL database {database_name(url)!r} on {where}")


if __name__ == "__main__":
    main()
