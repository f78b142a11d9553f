"""Run a command against a real, throwaway PostgreSQL server.

    python tests/postgres_server.py -- pytest ...

If DATABASE_URL is set, the command runs against it unchanged. Otherwise this starts a private
server (initdb in a temporary directory, TCP on a free loopback port) and stops and removes it
afterwards. PostgreSQL refuses to run as root, so as root the server runs as an unprivileged
user (NEEDLERX_POSTGRES_OS_USER, default ``postgres`` if it exists, else ``nobody``).

Where no PostgreSQL binaries exist, the command runs with NEEDLERX_SKIP_DATABASE_TESTS set to the
reason, so each database test shows as skipped with it — unless NEEDLERX_REQUIRE_POSTGRES=1, when
that is a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def find_postgres_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    found = shutil.which("pg_ctl")
    for path in [*candidates, *([found] if found else [])]:
        if Path(path).with_name("initdb").exists() or shutil.which("initdb"):
            return Path(path).parent
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_as_prefix() -> tuple[list[str], str]:
    """The command prefix to drop root, and the OS user the server runs as."""
    if os.geteuid() != 0:
        return [], pwd.getpwuid(os.geteuid()).pw_name
    wanted = os.environ.get("NEEDLERX_POSTGRES_OS_USER")
    for user in [wanted] if wanted else ["postgres", "nobody"]:
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--"], user
    raise SystemExit("No unprivileged user to run PostgreSQL as; set NEEDLERX_POSTGRES_OS_USER.")


def start_server(bin_dir: Path, workdir: Path) -> tuple[str, list[str]]:
    prefix, os_user = run_as_prefix()
    if prefix:
        shutil.chown(workdir, user=os_user)
    data, port = workdir / "data", free_port()
    subprocess.run(  # noqa: S603 - fixed argument list
        [
            *prefix,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "needlerx",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(  # noqa: S603
        [
            *prefix,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(workdir / "log"),
            "-o",
            options,
            "-w",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    stop = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
    return f"postgres://needlerx@127.0.0.1:{port}/postgres", stop


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        return subprocess.call(command, env=env)  # noqa: S603
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        reason = "no PostgreSQL binaries (initdb, pg_ctl) on this machine"
        if env.get("NEEDLERX_REQUIRE_POSTGRES") == "1":
            print(f"FAILED: NEEDLERX_REQUIRE_POSTGRES=1 but {reason}", file=sys.stderr)  # noqa: T201
            return 1
        env["NEEDLERX_SKIP_DATABASE_TESTS"] = reason
        return subprocess.call(command, env=env)  # noqa: S603
    workdir = Path(tempfile.mkdtemp(prefix="needlerx-pg-"))
    os.chmod(workdir, 0o755)  # noqa: S103 - the unprivileged server user must enter it
    stop: list[str] = []
    try:
        env["DATABASE_URL"], stop = start_server(bin_dir, workdir)
        print(f"PostgreSQL test server: {env['DATABASE_URL']}", file=sys.stderr)  # noqa: T201
        started = time.monotonic()
        code = subprocess.call(command, env=env)  # noqa: S603
        print(f"PostgreSQL run took {time.monotonic() - started:.0f} s", file=sys.stderr)  # noqa: T201
        return code
    finally:
        if stop:
            subprocess.run(stop, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
