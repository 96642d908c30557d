#!/usr/bin/env bash
# config.sh SVCLINT: .svclint.yaml as users meet it: found by walking up (to the repository's root),
# --config, --no-config; rules, exclude, default-namespace, kube-version, scopes; the command line
# wins; a bad file is exit 2 with its position; --stdin-filename places standard input for globs.
set -u
svclint=$(realpath "${1:-build/svclint}")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# expect NAME DIR WANTED-EXIT WANTED-STDOUT COMMAND...: runs in $tmp/DIR; stdout exact.
expect() {
	local name=$1 dir=$2 want=$3 want_out=$4 out rc
	shift 4
	out=$(cd "$tmp/$dir" && "$@" 2>"$tmp/stderr")
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc, wanted $want"; sed 's/^/  /' "$tmp/stderr"; printf '%s\n' "$out" | sed 's/^/  stdout: /'
		fail=$((fail + 1)); return
	fi
	if ! diff -u --label wanted --label actual <(printf '%s\n' "$want_out") <(printf '%s\n' "$out"); then
		echo "FAIL $name: output differs"; fail=$((fail + 1)); return
	fi
	pass=$((pass + 1))
}
# expect_err NAME DIR WANTED-STDERR COMMAND...: exit 2 with exactly that on standard error.
expect_err() {
	local name=$1 dir=$2 want_err=$3 rc
	shift 3
	(cd "$tmp/$dir" && "$@" >/dev/null 2>"$tmp/stderr")
	rc=$?
	if [ "$rc" != 2 ] || ! diff -u --label wanted --label actual <(printf '%s\n' "$want_err") "$tmp/stderr"; then
		echo "FAIL $name: exit $rc"; fail=$((fail + 1)); return
	fi
	pass=$((pass + 1))
}

endpoints() {	# endpoints NAME [NAMESPACE]: an Endpoints without a Service
	printf 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: %s\n' "$1"
	[ -n "${2:-}" ] && printf '  namespace: %s\n' "$2"
	printf 'subsets:\n- addresses:\n  - ip: 10.0.0.1\n  ports:\n  - name: metrics\n    port: 2379\n'
}
service() {	# service NAME NAMESPACE: a selectorless Service
	printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  ports:\n  - name: metrics\n    port: 2379\n' "$1" "$2"
}

mkdir -p "$tmp/repo/.git" "$tmp/repo/apps/deep" "$tmp/repo/vendor"
endpoints orphan apps >"$tmp/repo/apps/deep/orphan.yaml"
endpoints vendored apps >"$tmp/repo/vendor/x.yaml"
cat >"$tmp/repo/.svclint.yaml" <<'YAML'
rules:
  endpoints-deprecated: off
  endpoints-no-service: error
exclude:
- vendor
YAML
orphan="deep/orphan.yaml:4:9: error: no Service 'orphan' in namespace 'apps' owns this Endpoints: it is never mirrored to an EndpointSlice, so no traffic reaches it, and the endpoints controller may delete it; add the selectorless Service or fix the name or namespace [endpoints-no-service]"
expect "found by walking up; rules off and raised" repo/apps 1 "$orphan" "$svclint" -q deep/orphan.yaml
expect "--no-config" repo/apps 0 "deep/orphan.yaml:2:7: info: v1 Endpoints is deprecated since Kubernetes 1.33 (every apply warns) and kube-proxy reads only EndpointSlices mirrored from it; write a discovery.k8s.io/v1 EndpointSlice labelled kubernetes.io/service-name: orphan instead [endpoints-deprecated]
deep/orphan.yaml:4:9: warning: no Service 'orphan' in namespace 'apps' owns this Endpoints: it is never mirrored to an EndpointSlice, so no traffic reaches it, and the endpoints controller may delete it; add the selectorless Service or fix the name or namespace [endpoints-no-service]" \
	"$svclint" -q --no-config deep/orphan.yaml
expect "the command line wins" repo/apps 0 "deep/orphan.yaml:2:7: info: v1 Endpoints is deprecated since Kubernetes 1.33 (every apply warns) and kube-proxy reads only EndpointSlices mirrored from it; write a discovery.k8s.io/v1 EndpointSlice labelled kubernetes.io/service-name: orphan instead [endpoints-deprecated]" \
	"$svclint" -q --enable endpoints-deprecated --disable endpoints-no-service deep/orphan.yaml
expect "exclude: folders walked" repo 1 "${orphan/deep/apps\/deep}" "$svclint" -q .
expect "exclude: files named" repo 0 "" "$svclint" -q vendor/x.yaml
expect "exclude: standard input by its name" repo 0 "" sh -c "'$svclint' -q --stdin-filename vendor/y.yaml - <vendor/x.yaml"
# Above the repository's root (.git) no configuration is looked for.
mkdir -p "$tmp/outer/repo/.git"
cp "$tmp/repo/.svclint.yaml" "$tmp/outer/"
endpoints orphan apps >"$tmp/outer/repo/orphan.yaml"
expect "no configuration above .git" outer/repo 0 "orphan.yaml:2:7: info: v1 Endpoints is deprecated since Kubernetes 1.33 (every apply warns) and kube-proxy reads only EndpointSlices mirrored from it; write a discovery.k8s.io/v1 EndpointSlice labelled kubernetes.io/service-name: orphan instead [endpoints-deprecated]
orphan.yaml:4:9: warning: no Service 'orphan' in namespace 'apps' owns this Endpoints: it is never mirrored to an EndpointSlice, so no traffic reaches it, and the endpoints controller may delete it; add the selectorless Service or fix the name or namespace [endpoints-no-service]" \
	"$svclint" -q orphan.yaml
expect "--config FILE" outer/repo 1 "${orphan/deep\//}" "$svclint" -q --config ../.svclint.yaml orphan.yaml

# default-namespace and kube-version from the file; the command line wins.
mkdir -p "$tmp/ns"
printf 'default-namespace: kube-system\nkube-version: "1.32"\n' >"$tmp/ns/.svclint.yaml"
{ service etcd kube-system; printf -- '---\n'; endpoints etcd; } >"$tmp/ns/pair.yaml"
expect "default-namespace and kube-version" ns 0 "" "$svclint" -q pair.yaml
expect "--default-namespace wins" ns 0 "pair.yaml:14:9: warning: Endpoints 'etcd' has no metadata.namespace, so it lands in whatever namespace it is applied to ('apps' assumed), while the Service it pairs with is in 'kube-system'; they pair only if it is applied there: set metadata.namespace: kube-system [namespace-ambiguous-pair]
    pair.yaml:4:9: note: Service kube-system/etcd" "$svclint" -q --default-namespace apps pair.yaml
expect "--kube-version wins" ns 0 "pair.yaml:12:7: info: v1 Endpoints is deprecated since Kubernetes 1.33 (every apply warns) and kube-proxy reads only EndpointSlices mirrored from it; write a discovery.k8s.io/v1 EndpointSlice labelled kubernetes.io/service-name: etcd instead [endpoints-deprecated]" \
	"$svclint" -q --kube-version 1.33 pair.yaml

# Scopes: prod and staging define the same Service; neither is a duplicate of the other, and a
# backend in prod never pairs with staging's Service.  Within one scope, files are one set.
mkdir -p "$tmp/scopes/clusters/prod" "$tmp/scopes/clusters/staging"
printf 'rules:\n  endpoints-deprecated: off\nscopes:\n- clusters/prod/**\n- clusters/staging/**\n' >"$tmp/scopes/.svclint.yaml"
{ service etcd kube-system; printf -- '---\n'; endpoints etcd kube-system; } >"$tmp/scopes/clusters/prod/etcd.yaml"
service etcd kube-system >"$tmp/scopes/clusters/prod/again.yaml"
service etcd kube-system >"$tmp/scopes/clusters/staging/etcd.yaml"
printf 'rules:\n  endpoints-deprecated: off\n' >"$tmp/scopes/empty.yaml"
expect "scopes are independent sets" scopes 1 "clusters/prod/etcd.yaml:4:9: error: Service kube-system/etcd is defined twice: the second apply overwrites the first, so one of the two silently does not take effect; remove or rename one [duplicate-object]
    clusters/prod/again.yaml:4:9: note: first defined here
clusters/staging/etcd.yaml:4:9: error: Service kube-system/etcd has no selector and no Endpoints or EndpointSlice backs it: no controller fills its endpoints, so connections to it fail; add an EndpointSlice labelled kubernetes.io/service-name: etcd (or an Endpoints named 'etcd') in namespace 'kube-system' [service-selectorless-no-backends]" \
	"$svclint" -q clusters
expect "without scopes, staging pairs with prod's Endpoints" scopes 0 "" "$svclint" -q --config empty.yaml clusters
# Kinds svclint does not model are compared across the files of a scope too, not only within a file.
mkdir -p "$tmp/scopes/maps/prod"
printf 'scopes:\n- maps/prod/**\n' >"$tmp/scopes/maps.yaml"
for f in a b; do
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: etcd-client\n  namespace: kube-system\n' >"$tmp/scopes/maps/prod/$f.yaml"
done
expect "a ConfigMap twice in one scope" scopes 1 "maps/prod/b.yaml:4:9: error: ConfigMap kube-system/etcd-client is defined twice: the second apply overwrites the first, so one of the two silently does not take effect; remove or rename one [duplicate-object]
    maps/prod/a.yaml:4:9: note: first defined here" "$svclint" -q --config maps.yaml maps
expect "a ConfigMap in two files without scopes" scopes 0 "" "$svclint" -q --config empty.yaml maps

# A bad file: exit 2, its position, nothing linted.
mkdir -p "$tmp/bad"
printf 'rules:\n  endpoints-deprecated: off\nexclude: vendor\n' >"$tmp/bad/.svclint.yaml"
expect_err "a bad value" bad "svclint: .svclint.yaml:3:10: 'exclude' must be a list of globs" "$svclint" -q .
printf 'rules: {}\nscope: [a]\n' >"$tmp/bad/.svclint.yaml"
expect_err "an unknown key" bad "svclint: .svclint.yaml:2:1: unknown key 'scope' (rules, exclude, default-namespace, kube-version, scopes, naming, placeholders)" "$svclint" -q .
mkdir -p "$tmp/bad/sub"
expect_err "placed from a subfolder" bad/sub "svclint: ../.svclint.yaml:2:1: unknown key 'scope' (rules, exclude, default-namespace, kube-version, scopes, naming, placeholders)" "$svclint" -q .
expect_err "a missing --config" bad "svclint: nope.yaml: cannot open: No such file or directory" "$svclint" -q --config nope.yaml .
expect "--no-config skips a bad file" bad 0 "" "$svclint" -q --no-config .

# The README's example configuration is one svclint accepts.
mkdir -p "$tmp/readme"
sed -n '/^## Configuration/,/^## Suppressions/p' "$root/README.md" | sed -n '/^```yaml$/,/^```$/p' | sed '1d;$d' >"$tmp/readme/.svclint.yaml"
service etcd-prom monitoring >"$tmp/readme/svc.yaml"
[ -s "$tmp/readme/.svclint.yaml" ] && expect "the README's configuration" readme 1 "svc.yaml:4:9: error: Service monitoring/etcd-prom has no selector and no Endpoints or EndpointSlice backs it: no controller fills its endpoints, so connections to it fail; add an EndpointSlice labelled kubernetes.io/service-name: etcd-prom (or an Endpoints named 'etcd-prom') in namespace 'monitoring' [service-selectorless-no-backends]
svc.yaml:8:11: error: Service spec.ports[].name 'metrics' does not match the naming policy '^(http|https|grpc|tcp|udp)(-[a-z0-9]+)*$'; rename it to match [naming-policy]
    .svclint.yaml:17:3: note: the naming policy for Service" \
	"$svclint" -q svc.yaml

echo "config: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
