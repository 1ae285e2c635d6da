"""`make serve` (deploy/serve.py) starts nginx, gunicorn and the mail worker, and stops them all."""

import signal
import socket

import psutil


def test_ctrl_c_stops_nginx_gunicorn_and_the_mail_worker(start_production_site):
    site = start_production_site()
    children = psutil.Process(site.process.pid).children(recursive=True)
    commands = " ".join(" ".join(child.cmdline()) for child in children)
    assert "nginx: master process" in commands
    assert "gunicorn" in commands
    assert "runmailer" in commands

    site.process.send_signal(signal.SIGINT)

    assert site.process.wait(45) == 0
    assert "Stopped nginx, gunicorn and the mail queue worker." in site.output()
    assert not [child for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", site.port)) != 0


def test_when_gunicorn_dies_nginx_is_stopped_too(start_production_site):
    site = start_production_site("--no-mailer")
    gunicorn = psutil.Process(int((site.run_dir / "gunicorn.pid").read_text()))
    nginx = psutil.Process(int((site.run_dir / "nginx.pid").read_text()))

    gunicorn.kill()

    assert site.process.wait(45) == 1
    assert "Exited: {'gunicorn': -9}; stopping the rest." in site.output()
    assert "Stopped nginx and gunicorn." in site.output()
    assert not nginx.is_running()
