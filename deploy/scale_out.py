"""N app servers behind nginx on this machine, with sticky sessions and websocket proxying.

    python -m deploy.scale_out --servers 3 --port 8080

Streamlit keeps each session (its scenario, its caches' users) in the server process whose websocket it opened,
so a second server needs every browser to stay on one. nginx (Debian's package, open source) has no sticky-cookie
directive; this configuration makes one. A browser without the ``fp_route`` cookie is routed by a fresh random
request id and handed that id as its cookie; from then on ``hash $route consistent`` sends every request of that
browser, the websocket ``/_stcore/stream`` included, to the same server. The servers share one cookie secret,
so Streamlit's XSRF cookie is valid on each. nginx's access log records, per request, the route, the server
that answered and the path (``route upstream path``), which the load test reads to check the stickiness.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
START_TIMEOUT_S = 90.0

CONFIG = """\
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    log_format route '$route $upstream_addr $request_uri';
    access_log {tmp}/access.log route;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;

    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    map $cookie_fp_route $route {{ '' $request_id; default $cookie_fp_route; }}

    upstream app {{
        hash $route consistent;
{servers}
    }}
    server {{
        listen {host}:{port};
        # The app's own upload cap is 1 MB; nginx lets a little more through so that the app's message answers.
        client_max_body_size 2m;
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie "fp_route=$route; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


@dataclass
class Farm:
    """The servers behind nginx: the address to open, each server's address and process, and nginx's log."""

    url: str
    servers: list[str]
    pids: list[int]
    access_log: Path

    def routes(self) -> dict[str, set[str]]:
        """For each route (browser), the servers that answered its websocket: sticky when each has one."""
        out: dict[str, set[str]] = {}
        for line in self.access_log.read_text().splitlines():
            route, upstream, path = (line.split(" ", 2) + ["", ""])[:3]
            if path.startswith("/_stcore/stream"):
                out.setdefault(route, set()).add(upstream)
        return out


def free_port() -> int:
    """An unused loopback port: the OS picks it (port 0); it is released before a server binds it, a tiny race
    that is acceptable on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up; its log ({log}) ends:\n{log.read_text()[-3000:]}")
        time.sleep(0.25)


@contextmanager
def scale_out(servers: int = 3, port: int | None = None, host: str = "127.0.0.1") -> Iterator[Farm]:
    """Start ``servers`` app servers and nginx in front of them; stop them all when the block ends."""
    if servers < 1:
        raise ValueError(f"--servers: give at least 1, not {servers}")
    tmp = Path(tempfile.mkdtemp(prefix="scale-out-"))
    tmp.chmod(0o755)
    secret = secrets.token_hex(32)
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, tmp, True)
        procs, addresses = [], []
        for i in range(servers):
            p = free_port()
            log = tmp / f"app{i}.log"
            proc = subprocess.Popen(
                [sys.executable, "-m", "deploy.serve", "--server.port", str(p),
                 "--server.address", "127.0.0.1"],
                cwd=ROOT, env=os.environ | {"STREAMLIT_SERVER_COOKIE_SECRET": secret}, stdin=subprocess.DEVNULL,
                stdout=log.open("w"), stderr=subprocess.STDOUT)
            stack.callback(_stop, proc)
            procs.append((proc, f"http://127.0.0.1:{p}", log))
            addresses.append(f"127.0.0.1:{p}")
        for i, (proc, url, log) in enumerate(procs):
            _wait_healthy(url, proc, f"app server {i}", log)
        front = port or free_port()
        conf = tmp / "nginx.conf"
        conf.write_text(CONFIG.format(
            tmp=tmp, host=host, port=front, user="user root;" if os.geteuid() == 0 else "",
            servers="\n".join(f"        server {a} max_fails=0;" for a in addresses)))
        nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=(tmp / "nginx.out").open("w"))
        stack.callback(_stop, nginx)
        url = f"http://{host}:{front}"
        _wait_healthy(url, nginx, "nginx", tmp / "nginx.out")
        yield Farm(url, [f"http://{a}" for a in addresses], [proc.pid for proc, _, _ in procs], tmp / "access.log")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.scale_out", description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=3, help="how many app servers (default 3)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--host", default="127.0.0.1", help="nginx's address (0.0.0.0 to serve the network)")
    args = parser.parse_args(argv)
    try:
        with scale_out(args.servers, args.port, args.host) as farm:
            print(f"{len(farm.servers)} app servers behind nginx: open {farm.url}  (Ctrl-C stops them)", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    except (ValueError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
