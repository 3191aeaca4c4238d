"""`borderlens serve`: run the Streamlit dashboard on one release folder (never on a working database).

With --replicas N > 1, N Streamlit processes serve the same release on free loopback ports behind nginx
(deploy/nginx.conf.template: sticky by a cookie, websockets passed on), which listens on --port. nginx's config,
pid and logs live in a private runtime folder; SIGINT or SIGTERM stops every child, and the folder is removed.

BORDERLENS_RELEASE is the path as given, not resolved: the app resolves it on every run, so a symlink
(`current -> releases/<id>`) flipped by the operator switches all replicas at once (docs/release.md).
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from data_pipeline.errors import UserError
from data_pipeline.paths import resource_root
from data_pipeline.publish.release_format import format_problem
from data_pipeline.release_addresses import FILES_URL_ENV, RELEASE_FILES_PATH, run_folder

REPO = resource_root()  # app.py, pages/, .streamlit/ and deploy/: the checkout, or the installed copy
NGINX_TEMPLATE = REPO / "deploy" / "nginx.conf.template"
NGINX_PLACES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
START_SECONDS = 120   # the longest a replica or nginx may take to answer its health address
STOP_SECONDS = 10     # after SIGTERM, the longest a child gets before SIGKILL
MAX_REPLICAS = 32
_PR_SET_PDEATHSIG = 1


class _Stop(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived: stop the children and return."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def serve(release_dir, port: int, replicas: int = 1, address: str | None = None) -> int:
    """Check the release, then run Streamlit (one, or N behind nginx) until a child ends or a signal comes;
    returns the exit code (a child's own when it ended by itself, 0 after SIGTERM, 130 after Ctrl-C)."""
    release = Path(release_dir)
    check_release(release)
    if not 0 < port < 65536:
        raise UserError(f"--port must be 1 to 65535, not {port}")
    if not 1 <= replicas <= MAX_REPLICAS:
        raise UserError(f"--replicas must be 1 to {MAX_REPLICAS}, not {replicas}")
    app = REPO / "app.py"
    if not app.is_file():
        raise UserError(f"dashboard not found: {app}")
    nginx = find_nginx() if replicas > 1 else None
    env = {**os.environ, "BORDERLENS_RELEASE": str(release.absolute())}
    # the release's files at fixed addresses, /app/static/latest/... and /app/static/<id>/... (release_addresses);
    # `latest` follows the release the path holds, as the app does
    with run_folder(REPO, release.absolute()) as main_script:
        return _supervise(release, env, port, replicas, address, nginx, main_script)


def check_release(release: Path) -> None:
    if not release.is_dir():
        raise UserError(f"release folder not found: {release}")
    if not (release / "release.json").is_file() or not (release / "borderlens.duckdb").is_file():
        raise UserError(f"{release} is not a release folder (no release.json or borderlens.duckdb); "
                        f"build one with borderlens publish")
    try:
        info = json.loads((release / "release.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return  # a damaged release: the dashboard shows its maintenance page and names the file
    outdated = format_problem(release, info) if isinstance(info, dict) else None
    if outdated:
        raise UserError(outdated)


def find_nginx() -> str:
    """BORDERLENS_NGINX when set (an nginx elsewhere), else nginx on PATH or in the usual sbin folders."""
    given = os.environ.get("BORDERLENS_NGINX")
    if given:
        if not (os.path.isfile(given) and os.access(given, os.X_OK)):
            raise UserError(f"BORDERLENS_NGINX={given} is not an executable file")
        return given
    found = shutil.which("nginx") or next((p for p in NGINX_PLACES if os.access(p, os.X_OK)), None)
    if found is None:
        raise UserError("--replicas needs nginx, which is not installed (Debian: apt-get install nginx-light)")
    return found


def streamlit_command(port: int, address: str | None, main_script: Path) -> list[str]:
    """A replica behind nginx listens on loopback only. No server watches source files (a deployment does not edit
    its code in place; the polling watcher only costs CPU under load)."""
    command = [sys.executable, "-m", "streamlit", "run", str(main_script), "--server.port", str(port),
               "--server.headless", "true", "--server.enableStaticServing", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    return command + (["--server.address", address] if address else [])


# characters a release path may hold to be written into nginx's config (no quote, $ variable, ; or brace)
NGINX_SAFE_PATH = re.compile(r"[A-Za-z0-9 _./+,@%=~-]+")


def release_files_location(release: Path) -> str:
    """nginx's location for the release's files: streamed from disk with sendfile, each an attachment, no listing.
    The Downloads page links its larger extracts here (a download button would hold a file whole in a replica's
    memory; views.downloads.APP_LIMIT_ENV). Empty when the path cannot be written into the config safely."""
    folder = str(release.absolute())
    if not NGINX_SAFE_PATH.fullmatch(folder):
        return ""
    return (f'        location {RELEASE_FILES_PATH}/ {{\n'
            f'            alias "{folder}/";\n'
            f'            autoindex off;\n'
            f'            sendfile on;\n'
            f'            add_header Content-Disposition "attachment" always;\n'
            f'            add_header X-Content-Type-Options "nosniff" always;\n'
            f'        }}\n')


def nginx_config(runtime: Path, listen: str, ports: list[int], release: Path | None = None) -> str:
    """deploy/nginx.conf.template with its fields filled in: the runtime folder, the address nginx listens on,
    one upstream per replica (that replica first, the others as backups), and the release's files."""
    servers = [f"127.0.0.1:{p}" for p in ports]
    upstreams = []
    for i, own in enumerate(servers, 1):
        lines = [f"        server {own};"] + [f"        server {s} backup;" for s in servers if s != own]
        upstreams.append(f"    upstream borderlens_r{i} {{\n" + "\n".join(lines) + "\n    }")
    fields = {
        "RUNTIME": str(runtime),
        "LISTEN": listen,
        "SERVERS_ANY": "\n".join(f"        server {s};" for s in servers),
        "UPSTREAMS": "\n".join(upstreams),
        "COOKIE_MAP": "\n".join(f"        r{i} borderlens_r{i};" for i in range(1, len(servers) + 1)),
        # $upstream_addr lists every address tried ("a, b"): the last one answered
        "SERVED_MAP": "\n".join(f'        "~(^|\\s){s.replace(".", "[.]")}$" r{i};'
                                for i, s in enumerate(servers, 1)),
        "RELEASE_FILES": release_files_location(release) if release is not None else "",
        # nginx started by root runs its workers as nobody, who cannot read the release's files (nor the private
        # runtime folder): they run as the user who runs serve, as they do when that user is not root
        "USER": "user root;\n" if os.geteuid() == 0 else "",
    }
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the OS picks it; a child binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether Streamlit (directly or through nginx) answers its health address at url."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM it when `borderlens serve` dies, even by SIGKILL."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _start(command: list[str], env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, cwd=REPO, start_new_session=True, preexec_fn=_die_with_parent)


def _wait_healthy(url: str, children: list[subprocess.Popen], what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not healthy(url):
        if any(c.poll() is not None for c in children):
            raise UserError(f"{what} stopped while starting (see its messages above)")
        if time.monotonic() > deadline:
            raise UserError(f"{what} did not answer at {url} within {START_SECONDS} s")
        time.sleep(0.2)   # polling a health address, bounded by the deadline


def _supervise(release: Path, env: dict, port: int, replicas: int, address: str | None,
               nginx: str | None, main_script: Path) -> int:
    children: list[subprocess.Popen] = []
    runtime: Path | None = None
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}

    def stop(signum, frame):
        raise _Stop(signum)

    for signum in handlers:
        signal.signal(signum, stop)
    try:
        if nginx is None:   # one replica: Streamlit itself on --port, as before
            children.append(_start(streamlit_command(port, address, main_script), env))
        else:
            runtime = Path(tempfile.mkdtemp(prefix=f"borderlens-serve-{os.getpid()}-"))  # mode 0700
            ports = [free_port() for _ in range(replicas)]
            files = release_files_location(release)
            if files:   # the Downloads page links the larger extracts to nginx (unless the operator named a server)
                env = {FILES_URL_ENV: RELEASE_FILES_PATH, **env}
            for replica_port in ports:
                children.append(_start(streamlit_command(replica_port, "127.0.0.1", main_script), env))
            for n, replica_port in enumerate(ports, 1):
                _wait_healthy(f"http://127.0.0.1:{replica_port}", children, f"replica {n}")
            listen = f"{address}:{port}" if address else str(port)
            (runtime / "nginx.conf").write_text(nginx_config(runtime, listen, ports, release), encoding="utf-8")
            children.append(_start([nginx, "-p", str(runtime), "-c", str(runtime / "nginx.conf"),
                                    "-e", str(runtime / "error.log")]))
            _wait_healthy(f"http://{address or '127.0.0.1'}:{port}", children, "nginx")
            print(f"borderlens: serving {release} with {replicas} replicas (ports {', '.join(map(str, ports))}) "
                  f"behind nginx on {listen}; runtime folder {runtime}", flush=True)
        return _wait_for_any(children)
    except _Stop as exc:
        return 130 if exc.signum == signal.SIGINT else 0
    finally:
        for signum in handlers:   # no second signal interrupts the clean-up
            signal.signal(signum, signal.SIG_IGN)
        _stop_all(children)
        if runtime is not None:
            if nginx is not None and (runtime / "error.log").is_file():
                _copy_errors(runtime / "error.log")
            shutil.rmtree(runtime, ignore_errors=True)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _wait_for_any(children: list[subprocess.Popen]) -> int:
    """Block until one child exits (a signal interrupts the wait through _Stop); returns its exit code."""
    names = [f"replica {n}" for n in range(1, len(children))] + ["nginx"]
    while True:
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT)
        for name, child in zip(names, children):
            code = child.poll()
            if code is not None:
                if len(children) == 1:   # one replica: its own exit code, as before --replicas
                    return code
                print(f"borderlens: {name} (process {child.pid}) ended with code {code}; "
                      f"stopping the others", file=sys.stderr, flush=True)
                return code or 1


def _stop_all(children: list[subprocess.Popen]) -> None:
    """SIGTERM to every child (nginx last started, first stopped), then SIGKILL what is left after STOP_SECONDS."""
    for child in reversed(children):
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for child in reversed(children):
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _copy_errors(log: Path) -> None:
    """nginx's own warnings and errors go to serve's stderr before the runtime folder is removed."""
    text = log.read_text(encoding="utf-8", errors="replace").strip()
    if text:
        print(text, file=sys.stderr, flush=True)
