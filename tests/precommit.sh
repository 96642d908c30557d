#!/usr/bin/env bash
# precommit.sh SVCLINT: the shipped .pre-commit-hooks.yaml under the real pre-commit program, in a
# throw-away git repository: pre-commit passes only the changed file, and the hook's --context .
# finds the Service in another file, so a right change to an EndpointSlice commits and a broken port
# name blocks the commit with a located diagnostic.  Needs git and pre-commit (Debian: pre-commit);
# missing, it fails under CI=true.
set -u
svclint=$(realpath "${1:-build/svclint}")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

for tool in git pre-commit; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "precommit: $tool is missing (Debian: $tool; scripts/install-deps.sh installs it)"
		if [ "${CI:-}" = true ]; then exit 1; fi
		echo "precommit: SKIPPED outside CI"; exit 0
	fi
done
# The hook's entry is `svclint`: the one under test comes first on PATH.
mkdir -p "$tmp/bin" && ln -s "$svclint" "$tmp/bin/svclint"
export PATH="$tmp/bin:$PATH" PRE_COMMIT_HOME="$tmp/cache" GIT_CONFIG_NOSYSTEM=1 HOME="$tmp"
git config --global user.name test && git config --global user.email test@example.com
git config --global init.defaultBranch main

# The hooks repository: the shipped file as it is in this tree, at a commit pre-commit can fetch.
git init -q "$tmp/hooks" && cp "$root/.pre-commit-hooks.yaml" "$tmp/hooks/" &&
	git -C "$tmp/hooks" add .pre-commit-hooks.yaml && git -C "$tmp/hooks" commit -qm hooks || exit 1
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

git init -q "$tmp/repo" && cd "$tmp/repo" || exit 1
printf 'repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: svclint\n' "$tmp/hooks" "$rev" >.pre-commit-config.yaml
mkdir services backends
cat >services/etcd.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: etcd
  namespace: kube-system
spec:
  ports:
  - name: metrics
    port: 2379
YAML
cat >backends/etcd.yaml <<'YAML'
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: etcd-1
  namespace: kube-system
  labels:
    kubernetes.io/service-name: etcd
    endpointslice.kubernetes.io/managed-by: cluster-admins
addressType: IPv4
endpoints:
- addresses: ["10.0.0.1"]
ports:
- name: metrics
  port: 2379
YAML
pre-commit install >/dev/null || { bad "pre-commit install"; exit 1; }
git add -A && git commit -qm "etcd" >"$tmp/log" 2>&1 && ok || { bad "the first commit"; cat "$tmp/log"; }

# A right change to the slice alone: passes.
sed -i 's/10.0.0.1/10.0.0.2/' backends/etcd.yaml
git add backends/etcd.yaml
if git commit -m "move etcd" >"$tmp/log" 2>&1 && grep -q '^svclint\.*Passed$' "$tmp/log"; then ok; else bad "a right change"; cat "$tmp/log"; fi

# A broken port name: blocked, with the diagnostic located in the slice and a note in the Service.
head=$(git rev-parse HEAD)
sed -i 's/- name: metrics/- name: metric/' backends/etcd.yaml
git add backends/etcd.yaml
git commit -m "rename the port" >"$tmp/log" 2>&1
rc=$?
if [ "$rc" != 0 ] && [ "$(git rev-parse HEAD)" = "$head" ] && grep -q '^svclint\.*Failed$' "$tmp/log" &&
	grep -q "^backends/etcd.yaml:4:9: error: Service port 'metrics' (2379/TCP) has no TCP port named 'metrics' in EndpointSlice kube-system/etcd-1 .*\[endpointslice-port-unmatched\]$" "$tmp/log" &&
	grep -qx "    services/etcd.yaml:8:5: note: Service port 'metrics' (2379/TCP) of Service kube-system/etcd" "$tmp/log" &&
	grep -qx "    backends/etcd.yaml:13:3: note: this port is named 'metric', one edit from 'metrics'" "$tmp/log"; then
	ok
else
	bad "a broken port name: exit $rc"; cat "$tmp/log"
fi
# Only the changed file is reported: the Service file, loaded as context, says nothing.
if grep -q '^services/' "$tmp/log"; then bad "the context file was reported"; cat "$tmp/log"; else ok; fi

echo "precommit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
