"""``scripts/cluster start|status|stop``: see :mod:`genie.cluster`."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from genie.cluster import STATE_FILE, Cluster, ClusterError, load, plan


def write_env(cluster: Cluster) -> Path:
    """``<root>/env``, for ``. env`` in a shell (mode 600: it holds the secret key)."""
    names = ("GENIE_DATABASE_URL", "GENIE_SECRET_KEY", "GENIE_STORAGE_URL",
             "GENIE_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
             "AWS_REGION", "GENIE_BASE_URL", *cluster.extra)  # fmt: skip
    environ = cluster.environ()
    path = cluster.root / "env"
    path.touch(mode=0o600)
    path.write_text("".join(f"export {n}={shlex.quote(environ[n])}\n" for n in names))
    return path


def _describe(cluster: Cluster) -> str:
    lines = [f"genie cluster in {cluster.root}", f"  url       {cluster.url}  (nginx)"]
    for name, member in cluster.members.items():
        state = f"pid {member.pid}" if cluster.alive(name) else "not running"
        port = f"  127.0.0.1:{member.port}" if member.port else ""
        lines.append(f"  {name:<9} {state}{port}")
    lines.append(f"  database  {cluster.database_url}")
    lines.append(f"  files     s3://{cluster.bucket}/cluster at {cluster.s3_endpoint}")
    lines.append(f"  settings  . {cluster.root / 'env'}   (then: genie users create …)")
    return "\n".join(lines)


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.startswith("GENIE_"):
        raise argparse.ArgumentTypeError(f"not GENIE_NAME=VALUE: {text!r}")
    return name, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/cluster", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("start", "status", "stop"), nargs="?", default="start")
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "genie-cluster",
        help="the cluster's folder: state, logs, keys (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--allow-private-urls", action="store_true",
        help="let webhooks reach loopback receivers (GENIE_ALLOW_PRIVATE_URLS=1)",
    )  # fmt: skip
    parser.add_argument(
        "--set", dest="settings", action="append", default=[], type=_setting,
        metavar="GENIE_NAME=VALUE", help="a setting for every genie process (repeatable)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    root = args.dir.resolve()
    try:
        if args.command == "start":
            if (root / STATE_FILE).exists():
                raise ClusterError(f"a cluster already runs from {root}: stop it first")
            extra = dict(args.settings)
            if args.allow_private_urls:
                extra["GENIE_ALLOW_PRIVATE_URLS"] = "1"
            cluster = plan(root, extra)
            cluster.start()
            write_env(cluster)
        else:
            cluster = load(root)
            if args.command == "stop":
                cluster.stop()
                print(f"stopped the cluster in {root}")
                return 0
    except ClusterError as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        return 1
    print(_describe(cluster))
    return 0


if __name__ == "__main__":
    sys.exit(main())
