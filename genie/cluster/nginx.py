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


#: The configuration, filled in by :func:`nginx_config` (``%(name)s`` fields).
TEMPLATE = """daemon off;
%(user)sworker_processes 1;
pid %(root)s/nginx.pid;
error_log %(root)s/error.log warn;
events { worker_connections 512; }
http {
  access_log %(root)s/access.log;
%(temps)s  upstream genie {
%(servers)s    keepalive 32;
  }
%(groups)s  map $http_%(node_variable)s $genie_upstream {
    default genie;
%(choices)s  }
  server {
    listen 127.0.0.1:%(port)d;
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_read_timeout 300s;
    add_header %(upstream_header)s $upstream_addr always;
    location / { proxy_pass http://$genie_upstream; }
  }
}
"""
TEMPS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_config(cluster: Cluster) -> str:
    """nginx in the foreground, everything it writes under the cluster's folder."""
    root = cluster.root / "nginx"
    for temp in TEMPS:
        (root / temp).mkdir(parents=True, exist_ok=True)
    nodes = {node: cluster.node_address(node) for node in cluster.nodes}
    return TEMPLATE % {
        "user": "user root;\n" if os.geteuid() == 0 else "",
        "root": root,
        "temps": "".join(f"  {t}_temp_path {root / t};\n" for t in TEMPS),
        "servers": "".join(
            f"    server {a} max_fails=1 fail_timeout=10s;\n" for a in nodes.values()
        ),
        "groups": "".join(
            f"  upstream genie_{node} {{ server {address}; keepalive 16; }}\n"
            for node, address in nodes.items()
        ),
        "node_variable": NODE_HEADER.lower().replace("-", "_"),
        "choices": "".join(f"    {node} genie_{node};\n" for node in nodes),
        "port": cluster.port,
        "upstream_header": UPSTREAM_HEADER,
    }
