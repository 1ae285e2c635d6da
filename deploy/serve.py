"""Run the production arrangement on one machine: nginx in front of gunicorn, plus the mail worker.

``make serve`` runs ``python deploy/serve.py --port 8000 --run-dir .data/serve`` with the
environment of production (``DEBUG=0``, ``SECRET_KEY``, ``DATABASE_URL``...). It renders
``deploy/nginx/greenjobs.conf`` and ``deploy/nginx/local.conf`` into the run directory, then
starts, each in its own session:

- gunicorn (``deploy/gunicorn.conf.py``) on the unix socket ``RUN_DIR/gunicorn.sock``;
- nginx on ``127.0.0.1:PORT``, serving ``/static/`` and ``/media/`` and proxying the rest;
- the mail queue worker, ``manage.py runmailer`` (unless ``--no-mailer``).

Logs, pid file and nginx's temporary files stay in the run directory. Ctrl-C (or SIGTERM) stops
nginx, then gunicorn gracefully, then the worker; if any of them dies, the others are stopped too.
"""

from __future__ import annotations

import argparse
import ctypes
import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent
BASE_DIR = DEPLOY_DIR.parent
PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
STOP_SIGNALS = {"nginx": signal.SIGQUIT, "gunicorn": signal.SIGTERM, "mailer": signal.SIGTERM}


def render(template: Path, values: dict[str, str]) -> str:
    """The template with each ``@@NAME@@`` replaced; a name without a value is an error."""
    text = template.read_text()
    missing = sorted(set(PLACEHOLDER.findall(text)) - values.keys())
    if missing:
        raise ValueError(f"{template.name}: no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not found:
        raise SystemExit("nginx is not installed: run `make nginx` (Debian's nginx package).")
    return found


def write_nginx_config(run_dir: Path, *, listen: str, app_socket: Path, static_root: Path, media_root: Path) -> Path:
    """Render the site and main configurations into ``run_dir``; return the main one."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    site = {
        "LISTEN": listen,
        "SERVER_NAME": listen.rsplit(":", 1)[0],
        "APP_SERVER": f"unix:{app_socket}",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "LOG_DIR": str(run_dir),
        "ERROR_PAGES": str(DEPLOY_DIR / "errors"),
    }
    (run_dir / "greenjobs.conf").write_text(render(DEPLOY_DIR / "nginx" / "greenjobs.conf", site))
    # Started by root, nginx's workers would otherwise become `nobody` and could not read this tree.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    main = run_dir / "nginx.conf"
    main.write_text(render(DEPLOY_DIR / "nginx" / "local.conf", {"RUN_DIR": str(run_dir), "USER": user}))
    return main


def nginx_command(run_dir: Path, config: Path, *extra: str) -> list[str]:
    return [nginx_binary(), "-p", str(run_dir), "-c", str(config), "-e", str(run_dir / "error.log"), *extra]


def _die_with_parent() -> None:
    """In the child: receive SIGTERM if this launcher dies, so nothing outlives it."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(command: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
    # Own session: Ctrl-C reaches only this launcher, which stops the children in order.
    # preexec_fn is safe here: the launcher runs no threads.
    return subprocess.Popen(
        command,
        env=env,
        cwd=BASE_DIR,
        start_new_session=True,
        preexec_fn=_die_with_parent,  # noqa: PLW1509
        **kwargs,
    )


def accepts(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as probe:
        return probe.connect_ex(str(path)) == 0


def wait_until(ready, name: str, process: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until ``ready()``; stop if ``process`` exits first or it takes longer than ``timeout``."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with status {process.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise SystemExit(f"{name} is not ready after {timeout:.0f} s")
        time.sleep(0.1)


def stop(processes: dict[str, subprocess.Popen], timeout: float = 35) -> None:
    """Stop each in turn, gracefully, killing whatever does not stop within ``timeout``."""
    for name, process in processes.items():
        if process.poll() is None:
            process.send_signal(STOP_SIGNALS[name])
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare(args: argparse.Namespace) -> tuple[Path, Path, dict[str, str]]:
    """Render and check nginx's configuration; return it, gunicorn's socket and the environment."""
    run_dir = args.run_dir.resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenjobs.settings")
    # nginx is the one proxy in front of Django: the client's address is its X-Forwarded-For entry.
    os.environ["TRUSTED_PROXIES"] = "1"
    env = dict(os.environ)
    sys.path.insert(0, str(BASE_DIR))
    from django.conf import settings

    app_socket = run_dir / "gunicorn.sock"
    app_socket.unlink(missing_ok=True)
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    config = write_nginx_config(
        run_dir,
        listen=f"{args.host}:{args.port}",
        app_socket=app_socket,
        static_root=Path(settings.STATIC_ROOT).resolve(),
        media_root=Path(settings.MEDIA_ROOT).resolve(),
    )
    checked = subprocess.run(nginx_command(run_dir, config, "-t", "-q"), capture_output=True, text=True, check=False)
    if checked.returncode:
        raise SystemExit(f"nginx refuses {config}:\n{checked.stderr}")
    return config, app_socket, env


def supervise(processes: dict[str, subprocess.Popen]) -> int:
    """Wait for Ctrl-C or SIGTERM (0), or for one of the processes to die (1)."""
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    while not stopping:
        dead = {name: process.returncode for name, process in processes.items() if process.poll() is not None}
        if dead:
            print(f"Exited: {dead}; stopping the rest.", flush=True)
            return 1
        time.sleep(0.2)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000, help="nginx listens on HOST:PORT")
    parser.add_argument("--host", default="127.0.0.1", help="the address nginx listens on")
    parser.add_argument("--run-dir", type=Path, default=BASE_DIR / ".data" / "serve")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--no-mailer", action="store_true", help="do not run the mail queue worker")
    args = parser.parse_args(argv)
    config, app_socket, env = prepare(args)
    run_dir = config.parent

    processes: dict[str, subprocess.Popen] = {}
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY_DIR / "gunicorn.conf.py")]
    gunicorn += ["--bind", f"unix:{app_socket}", "--workers", str(args.workers)]
    gunicorn += ["--access-logfile", str(run_dir / "gunicorn.access.log"), "--pid", str(run_dir / "gunicorn.pid")]
    processes["gunicorn"] = start(gunicorn, env)
    try:
        wait_until(lambda: accepts(app_socket), "gunicorn", processes["gunicorn"])
        nginx_pid = run_dir / "nginx.pid"
        nginx_pid.unlink(missing_ok=True)
        processes["nginx"] = start(nginx_command(run_dir, config, "-g", "daemon off;"), env)
        # nginx writes its pid file once it has bound its port.
        wait_until(nginx_pid.exists, "nginx", processes["nginx"])
        if not args.no_mailer:
            # Without EMAIL_HOST it prints each email here, as the development server did.
            processes["mailer"] = start([sys.executable, "manage.py", "runmailer"], env)
        print(
            f"Serving http://{args.host}:{args.port}/ with nginx (static files, media) in front of gunicorn"
            + ("" if args.no_mailer else ", and the mail queue worker")
            + f". Logs in {run_dir}: greenjobs.access.log, greenjobs.error.log (nginx), gunicorn.access.log."
            + " Ctrl-C stops everything.",
            flush=True,
        )
        status = supervise(processes)
    finally:
        # nginx first (no new requests), then gunicorn finishes what it has, then the mail worker.
        stop({name: processes[name] for name in ("nginx", "gunicorn", "mailer") if name in processes})
    stopped = "nginx and gunicorn" if args.no_mailer else "nginx, gunicorn and the mail queue worker"
    print(f"Stopped {stopped}.", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
