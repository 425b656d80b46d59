"""The cluster's nginx: a round-robin upstream of the API nodes, one port, and
a header that picks one node (for tests that must reach a given node)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genie.cluster import Cluster

#: The request header that sends a request to one node (its value: a node's name).
NODE_HEADER = "X-Genie-Node"
#: The response header naming the node (``127.0.0.1:PORT``) that answered.
UPSTREAM_HEADER = "X-Genie-Upstream"


def nginx_config(cluster: Cluster) -> str:
    """nginx in the foreground, everything it writes under the cluster's folder."""
    root = cluster.root / "nginx"
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / temp).mkdir(parents=True, exist_ok=True)
    nodes = {node: cluster.node_address(node) for node in cluster.nodes}
    groups = "".join(
        f"  upstream genie_{node} {{ server {address}; keepalive 16; }}\n"
        for node, address in nodes.items()
    )
    servers = "".join(f"    server {a} max_fails=1 fail_timeout=10s;\n" for a in nodes.values())
    choices = "".join(f"    {node} genie_{node};\n" for node in cluster.nodes)
    temps = "".join(f"  {t}_temp_path {root / t};\n" for t in ("fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""daemon off;
{user}worker_processes 1;
pid {root / "nginx.pid"};
error_log {root / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
  access_log {root / "access.log"};
  client_body_temp_path {root / "body"};
  proxy_temp_path {root / "proxy"};
{temps}  upstream genie {{
{servers}    keepalive 32;
  }}
{groups}  map $http_{NODE_HEADER.lower().replace("-", "_")} $genie_upstream {{
    default genie;
{choices}  }}
  server {{
    listen 127.0.0.1:{cluster.port};
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_read_timeout 300s;
    add_header {UPSTREAM_HEADER} $upstream_addr always;
    location / {{ proxy_pass http://$genie_upstream; }}
  }}
}}
"""
