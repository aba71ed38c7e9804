"""gunicorn settings (`gunicorn -c python:safetynet.core.gunicorn_conf safetynet.wsgi`).

gthread workers: the pages wait on PostgreSQL, not on the CPU, so a few processes with
several threads each keep the 2-4 cores of a county server busy without the memory of
one process per concurrent request; no async rewrite or monkey-patching is needed.
Every value can be set from the environment (deploy/safetynet.env). Why these sizes, from
the load test's figures: docs/deploy.md, "Sizing the web server".
"""

from __future__ import annotations

import os

bind = os.environ.get("SAFETYNET_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("SAFETYNET_WEB_WORKERS", str(max(2, os.cpu_count() or 1))))
threads = int(os.environ.get("SAFETYNET_WEB_THREADS", "4"))
timeout = int(os.environ.get("SAFETYNET_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so memory stays flat over months.
max_requests = int(os.environ.get("SAFETYNET_WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The app logs each request with its request id (core/logs.py); gunicorn only its errors.
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "safetynet-web"
forwarded_allow_ips = os.environ.get("SAFETYNET_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (in $HOME) is not used: systemd and `kill -HUP` steer it, and
# several servers on one machine (tests, the demo) would share the one socket.
control_socket_disable = True
