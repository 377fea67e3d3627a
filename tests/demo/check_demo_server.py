"""The demo server as ./run-demo starts it gives no way to the database
manager: started with the demo's configuration (setup/demo_config.py) on a
database, it listens on loopback only, its database manager page says it is
disabled, the database list and a backup with Odoo's default master password
("admin") are refused. Exits non-zero on the first hole found."""

import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]


def post(url, data, content_type):
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": content_type}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.headers.get("Content-Type", ""), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def other_address():
    """An address of this machine that is not loopback, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=8295)
    return parser.parse_args()


def write_config():
    """The demo's configuration file (setup/demo_config.py): its path."""
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)  # noqa: SIM115
    conf.write(
        subprocess.run(
            [sys.executable, str(REPO / "setup" / "demo_config.py")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    conf.close()
    return conf.name


def start_server(args, conf):
    """odoo-bin with the demo's configuration, on loopback."""
    return subprocess.Popen(
        [
            sys.executable,
            args.odoo_bin,
            "-c",
            conf,
            f"--addons-path={args.addons_path}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            "-d",
            args.database,
            f"--db-filter=^{args.database}$",
            "--http-interface=127.0.0.1",
            f"--http-port={args.port}",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_until_up(base, server):
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/web/health", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("[demo] the demo server did not start") from None
            time.sleep(0.5)


def find_holes(base, args):
    """The ways to the database manager the server leaves open."""
    problems = []
    with urllib.request.urlopen(base + "/web/database/manager", timeout=30) as page:
        if b"database manager has been disabled" not in page.read().lower():
            problems.append("the database manager page is open")
    _status, _type, body = post(
        base + "/web/database/list",
        json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode(),
        "application/json",
    )
    if b'"error"' not in body:
        problems.append("the database list is given")
    _status, content_type, _body = post(
        base + "/web/database/backup",
        f"master_pwd=admin&name={args.database}&backup_format=zip".encode(),
        "application/x-www-form-urlencoded",
    )
    if "zip" in content_type or "octet-stream" in content_type:
        problems.append("a backup with the default master password was given")
    address = other_address()
    if address:
        try:
            socket.create_connection((address, args.port), timeout=2).close()
            problems.append(f"the demo answers on {address}, not only loopback")
        except OSError:
            pass
    return problems


def main():
    args = parse_args()
    conf = write_config()
    base = f"http://127.0.0.1:{args.port}"
    server = start_server(args, conf)
    problems = []
    try:
        wait_until_up(base, server)
        problems = find_holes(base, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(conf)
    for problem in problems:
        print(f"[demo] FAILED: {problem}")
    if problems:
        return 1
    print(
        "[demo] the demo server: loopback only, database manager disabled, "
        "list and backup refused"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
