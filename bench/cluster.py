"""Scenario 7: the list scenario through nginx in front of two API nodes, against
one of those nodes reached directly, in one run (for information).

The topology is ``scripts/cluster``'s own (:mod:`genie.cluster`: nginx, two
``genie serve`` nodes, two workers, moto, a fresh database), its genie processes
at ``--log-level warning`` like the harness's servers; the user with 1,000 objects
is bulk-loaded into its database. Every contender hits the same node processes:
nginx's round robin over both, nginx sending everything to node ``a``
(``X-Genie-Node: a``: what the hop costs), and node ``a`` directly. The first
ratio is what a second node plus nginx buy on this machine: on 2 cores, shared by
wrk, nginx, both nodes and PostgreSQL, little or nothing.

    python bench/run.py --only 7 [--rounds 3] [--duration 5] [--connections 10]
    python bench/cluster.py [--rounds 3] [--duration 5] [--connections 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as harness  # noqa: E402 - the path above makes the import work
from genie.cluster import NODE_HEADER, Cluster, plan  # noqa: E402

PATH = "/djinn/objects"


def _contenders(cluster: Cluster) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each contender's URL and extra headers."""
    direct = f"http://127.0.0.1:{cluster.members['node-a'].port}{PATH}"
    return {
        "2 nodes via nginx": (cluster.url + PATH, ()),
        "1 node via nginx": (cluster.url + PATH, (f"{NODE_HEADER}: a",)),
        "1 node direct": (direct, ()),
    }


def _measure(args: argparse.Namespace, cluster: Cluster) -> dict[str, list[dict[str, float]]]:
    token = harness.bulk_load(cluster.database_url, "small", 1000)
    contenders = _contenders(cluster)
    for url, headers in contenders.values():  # warm-up
        harness.wrk(url, token, 2, args.connections, headers=headers)
    return harness.interleave(
        args.rounds,
        {
            name: (
                lambda c=c: harness.wrk(c[0], token, args.duration, args.connections, headers=c[1])
            )
            for name, c in contenders.items()
        },
    )


def scenario_cluster_list(args: argparse.Namespace) -> list[harness.Result]:
    with tempfile.TemporaryDirectory(prefix="genie-bench-cluster-") as root:
        cluster = plan(Path(root), log_level="warning")
        cluster.start()
        try:
            runs = _measure(args, cluster)
        finally:
            cluster.stop()
    two, hop, one = (harness.median(runs[name], "rps") for name in runs)
    p99 = {name: round(harness.median(runs[name], "p99_ms"), 1) for name in runs}
    samples = {name: [r["rps"] for r in runs[name]] for name in runs}
    notes = f"reference = 1 node direct; p99 ms {p99}; {args.connections} connections"
    return [
        harness.Result(
            "7. list through nginx, 2 nodes vs 1 node direct (info)",
            two, one, "req/s", "info", None, notes, samples,
        ),
        harness.Result(
            "7b. list through nginx to 1 node vs 1 node direct: the hop (info)",
            hop, one, "req/s", "info", None,
        ),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=10)
    print(harness.table(scenario_cluster_list(parser.parse_args())))


if __name__ == "__main__":
    main()
