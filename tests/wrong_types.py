#!/usr/bin/env python3
"""wrong_types.py SVCLINT [WORKDIR]: every field svclint reads, one at a time, given every wrong type.

Starts from a valid set of manifests (a selectorless Service with its Endpoints and EndpointSlice, a
Service with a selector, a ServiceMonitor and a Prometheus that select them, and a kind: List), and
for each node in them (every map value, every list item, the documents themselves) writes one file
where that node is replaced by a map, a list, an integer, a string, null, a boolean, a float, an
empty map, an empty list, an empty string, a huge integer, a deep nesting, or removed.  svclint
runs on each file (text or JSON in turn) and must exit 0 or 1 with every finding located: never a
signal, a sanitizer report, a timeout or exit 2.  Prints the failures and a count; exits 1 on any.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

MANIFESTS = [
    {"apiVersion": "v1", "kind": "Service",
     "metadata": {"name": "etcd", "namespace": "kube-system", "generateName": "etcd-",
                  "labels": {"app.kubernetes.io/name": "etcd", "k8s-app": "etcd"},
                  "annotations": {"note": "selectorless"}},
     "spec": {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"],
              "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
              "sessionAffinity": "None", "publishNotReadyAddresses": True,
              "internalTrafficPolicy": "Cluster",
              "ports": [{"name": "https-metrics", "port": 2379, "targetPort": 2379,
                         "protocol": "TCP", "appProtocol": "https"},
                        {"name": "peer", "port": 2380, "targetPort": "peer", "protocol": "TCP"}]}},
    {"apiVersion": "v1", "kind": "Endpoints",
     "metadata": {"name": "etcd", "namespace": "kube-system",
                  "labels": {"app.kubernetes.io/name": "etcd",
                             "endpointslice.kubernetes.io/skip-mirror": "false"}},
     "subsets": [{"addresses": [{"ip": "10.0.0.11", "hostname": "etcd-0", "nodeName": "node-a",
                                 "targetRef": {"kind": "Pod", "name": "etcd-0",
                                               "namespace": "kube-system"}}],
                  "notReadyAddresses": [{"ip": "10.0.0.12"}],
                  "ports": [{"name": "https-metrics", "port": 2379, "protocol": "TCP",
                             "appProtocol": "https"},
                            {"name": "peer", "port": 2380, "protocol": "TCP"}]}]},
    {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
     "metadata": {"name": "etcd-1", "namespace": "kube-system",
                  "labels": {"kubernetes.io/service-name": "etcd",
                             "endpointslice.kubernetes.io/managed-by": "cluster-admins"}},
     "addressType": "IPv4",
     "endpoints": [{"addresses": ["10.0.0.11"], "hostname": "etcd-0", "nodeName": "node-a",
                    "zone": "zone-a",
                    "conditions": {"ready": True, "serving": True, "terminating": False},
                    "targetRef": {"kind": "Pod", "name": "etcd-0", "namespace": "kube-system"},
                    "hints": {"forZones": [{"name": "zone-a"}]}}],
     "ports": [{"name": "https-metrics", "port": 2379, "protocol": "TCP", "appProtocol": "https"},
               {"name": "peer", "port": 2380, "protocol": "TCP"}]},
    {"apiVersion": "v1", "kind": "Service",
     "metadata": {"name": "web", "namespace": "apps", "labels": {"app": "web"}},
     "spec": {"type": "NodePort", "selector": {"app": "web"},
              "externalTrafficPolicy": "Local", "healthCheckNodePort": 30100,
              "externalIPs": ["192.0.2.10"], "loadBalancerSourceRanges": ["10.0.0.0/8"],
              "externalName": "web.example.com",
              "ports": [{"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080,
                         "protocol": "TCP"}]}},
    {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
     "metadata": {"name": "etcd", "namespace": "monitoring", "labels": {"release": "prom"}},
     "spec": {"jobLabel": "app.kubernetes.io/name", "targetLabels": ["k8s-app"],
              "podTargetLabels": ["app"],
              "selector": {"matchLabels": {"app.kubernetes.io/name": "etcd"},
                           "matchExpressions": [{"key": "k8s-app", "operator": "In",
                                                 "values": ["etcd", "etcd-events"]},
                                                {"key": "tier", "operator": "DoesNotExist"}]},
              "namespaceSelector": {"matchNames": ["kube-system"], "any": False},
              "attachMetadata": {"node": False},
              "endpoints": [{"port": "https-metrics", "scheme": "https", "path": "/metrics",
                             "interval": "30s", "scrapeTimeout": "10s", "honorLabels": False,
                             "bearerTokenFile": "/var/run/secrets/token",
                             "tlsConfig": {"caFile": "/etc/prometheus/ca.crt",
                                           "serverName": "etcd", "insecureSkipVerify": False,
                                           "ca": {"secret": {"name": "etcd-ca", "key": "ca.crt"}}},
                             "relabelings": [{"sourceLabels": ["__meta_x"], "targetLabel": "x",
                                              "action": "replace", "regex": "(.*)"}],
                             "metricRelabelings": [{"action": "drop", "regex": "go_.*"}]},
                            {"targetPort": 2380, "path": "/metrics"}]}},
    {"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus",
     "metadata": {"name": "k8s", "namespace": "monitoring"},
     "spec": {"replicas": 2, "serviceAccountName": "prometheus", "version": "v2.54.0",
              "serviceMonitorSelector": {"matchLabels": {"release": "prom"}},
              "serviceMonitorNamespaceSelector": {"matchExpressions": [
                  {"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["monitoring"]}]},
              "podMonitorSelector": {}, "ruleSelector": {},
              "secrets": ["etcd-certs"], "configMaps": ["extra"]}},
    {"apiVersion": "v1", "kind": "List",
     "items": [{"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "db", "namespace": "data"},
                "spec": {"ports": [{"name": "pg", "port": 5432}]}},
               {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "db-1", "namespace": "data",
                             "labels": {"kubernetes.io/service-name": "db"}},
                "addressType": "IPv4", "endpoints": [{"addresses": ["10.1.0.5"]}],
                "ports": [{"name": "pg", "port": 5432}]}]},
]

DELETE = object()
DEEP = {"a": [[[[{"b": [{"c": [[{}]]}]}]]]]}
WRONG = [
    ("map", {"wrong": "type", "n": 1}), ("list", ["wrong", 1, {"x": None}]), ("int", 42),
    ("negative", -1), ("huge", 10 ** 30), ("float", 1.5), ("string", "wrong"), ("empty-string", ""),
    ("null", None), ("bool", True), ("empty-map", {}), ("empty-list", []), ("deep", DEEP),
    ("removed", DELETE),
]

PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./-][A-Za-z0-9_./ -]*$")


def scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return repr(v)
    # Quote strings that YAML would read as another type or that need it.
    if PLAIN_SAFE.match(v) and not re.match(r"^([-+]?[0-9.]|true$|false$|null$|yes$|no$|on$|off$|y$|n$|~)", v, re.I) \
            and not v.endswith(" "):
        return v
    return json.dumps(v)


def emit(v, indent, out):
    """Block YAML for v at indent (the caller wrote the key or '- ')."""
    pad = "  " * indent
    if isinstance(v, dict):
        if not v:
            out.append(" {}\n")
            return
        out.append("\n")
        for k, x in v.items():
            out.append(pad + scalar(k) + ":")
            emit(x, indent + 1, out)
    elif isinstance(v, list):
        if not v:
            out.append(" []\n")
            return
        out.append("\n")
        for x in v:
            out.append(pad + "-")
            emit(x, indent + 1, out)
    else:
        out.append(" " + scalar(v) + "\n")


def document(v):
    out = []
    if isinstance(v, dict) and v:
        for k, x in v.items():
            out.append(scalar(k) + ":")
            emit(x, 1, out)
    elif isinstance(v, list) and v:
        for x in v:
            out.append("-")
            emit(x, 1, out)
    else:
        out.append(scalar(v) if not isinstance(v, (dict, list)) else ("{}" if isinstance(v, dict) else "[]"))
        out.append("\n")
    return "".join(out)


def paths(v, prefix=()):
    """Every place a value sits: (path of keys and indexes)."""
    yield prefix
    if isinstance(v, dict):
        for k, x in v.items():
            yield from paths(x, prefix + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, prefix + (i,))


def replaced(v, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(v, dict):
        copy = dict(v)
        if rest or new is not DELETE:
            copy[head] = replaced(v[head], rest, new)
        else:
            del copy[head]
        return copy
    copy = list(v)
    if rest or new is not DELETE:
        copy[head] = replaced(v[head], rest, new)
    else:
        del copy[head]
    return copy


def cases():
    for d, manifest in enumerate(MANIFESTS):
        for path in paths(manifest):
            for name, value in WRONG:
                if not path and value is DELETE:
                    continue
                docs = list(MANIFESTS)
                docs[d] = replaced(manifest, path, value)
                label = "%d.%s=%s" % (d, ".".join(str(p) for p in path) or "<document>", name)
                yield label, "---\n".join(document(x) for x in docs if x is not DELETE)


LOCATED = re.compile(r"^(    )?[^\n]*:[1-9][0-9]*:[1-9][0-9]*: (error|warning|info|note): ")


def run(svclint, folder, index, label, text):
    path = os.path.join(folder, "case-%05d.yaml" % index)
    with open(path, "w") as f:
        f.write("# %s\n%s" % (label, text))
    fmt = "json" if index % 2 else "text"
    try:
        p = subprocess.run([svclint, "-q", "-j", "1", "-f", fmt, path], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "%s: timed out (%s)" % (label, path)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode not in (0, 1) or "runtime error" in err or "Sanitizer" in err:
        return "%s: exit %d (%s)\n%s" % (label, p.returncode, path, err[-3000:])
    out = p.stdout.decode("utf-8", "replace")
    if fmt == "json":
        try:
            json.loads(out)
        except ValueError as e:
            return "%s: invalid JSON (%s): %s" % (label, path, e)
    else:
        for line in out.splitlines():
            if not LOCATED.match(line):
                return "%s: a finding without a location (%s): %s" % (label, path, line[:300])
    os.unlink(path)
    return None


def main():
    svclint = os.path.realpath(sys.argv[1])
    keep = len(sys.argv) > 2
    folder = sys.argv[2] if keep else tempfile.mkdtemp(prefix="svclint-wrong-types-")
    os.makedirs(folder, exist_ok=True)
    all_cases = list(cases())
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for result in pool.map(lambda c: run(svclint, folder, c[0], c[1][0], c[1][1]), enumerate(all_cases)):
            if result:
                failures.append(result)
    for f in failures[:20]:
        print("FAIL " + f)
    if not keep and not failures:
        os.rmdir(folder)
    print("wrong-types: %d passed, %d failed%s" % (len(all_cases) - len(failures), len(failures),
                                                   " (inputs kept in %s)" % folder if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
