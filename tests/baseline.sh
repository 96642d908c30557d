#!/usr/bin/env bash
# baseline.sh SVCLINT: --write-baseline records today's findings (atomically); --baseline holds them
# back so that a gate fails only on new ones, whatever lines move around them.
set -u
svclint=$(realpath "${1:-build/svclint}")
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

mkdir -p "$tmp/repo/.git" && cd "$tmp/repo" || exit 1
printf 'rules:\n  endpoints-deprecated: off\n' >.svclint.yaml
endpoints() { printf 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: %s\n  namespace: apps\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n' "$1"; }
{ endpoints old-one; printf -- '---\n'; endpoints old-two; } >legacy.yaml

"$svclint" --write-baseline baseline.json . >out 2>err
rc=$?
[ "$rc" = 0 ] && [ ! -s out ] && [ "$(cat err)" = "svclint: wrote 2 findings to baseline.json" ] && ok \
	|| bad "write: exit $rc, stdout $(cat out), stderr $(cat err)"
[ "$(ls -A)" = "$(printf '%s\n' .git .svclint.yaml baseline.json err legacy.yaml out)" ] && ok || bad "files left: $(ls -A)"
grep -c '"rule":"endpoints-no-service","file":"legacy.yaml","object":"Endpoints apps/old-' baseline.json | grep -qx 2 \
	&& ok || bad "baseline content: $(cat baseline.json)"

# Today's findings are held back.
out=$("$svclint" --baseline baseline.json . 2>err); rc=$?
[ "$rc" = 0 ] && [ -z "$out" ] && [ "$(cat err)" = "svclint: 2 files, 2 objects: 0 errors, 0 warnings, 0 infos (2 in the baseline)" ] \
	&& ok || bad "gate on today: exit $rc, $out, $(cat err)"
# Lines added above them move every finding: still held back.
{ printf '# a comment\n\n'; cat legacy.yaml; } >moved && mv moved legacy.yaml
out=$("$svclint" -q --fail-on warning --baseline baseline.json .); rc=$?
[ "$rc" = 0 ] && [ -z "$out" ] && ok || bad "after a line shift: exit $rc, $out"
# A new finding fails the gate, and only it is reported.
{ printf -- '---\n'; endpoints new-one; } >>legacy.yaml
out=$("$svclint" -q --fail-on warning --baseline baseline.json .); rc=$?
want="legacy.yaml:24:9: warning: no Service 'new-one' in namespace 'apps' owns this Endpoints: it is never mirrored to an EndpointSlice, so no traffic reaches it, and the endpoints controller may delete it; add the selectorless Service or fix the name or namespace [endpoints-no-service]"
[ "$rc" = 1 ] && [ "$out" = "$want" ] && ok || bad "a new finding: exit $rc, $out"
# Every format honours it.
for f in json sarif junit github; do
	"$svclint" -q -f "$f" --baseline baseline.json . | grep -q old-one && bad "$f reports a baselined finding" || ok
done

# Writing is atomic: when the new file cannot be made, the old one is left whole.
cp baseline.json before.json
mkdir ro && cp baseline.json ro/baseline.json && chmod a-w ro
if [ "$(id -u)" = 0 ]; then as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups); chmod -R a+rX "$tmp"; else as_user=(); fi
out=$("${as_user[@]}" "$svclint" -q --write-baseline ro/baseline.json legacy.yaml 2>&1); rc=$?
case "$out" in
"svclint: cannot write ro/baseline.json: Permission denied") [ "$rc" = 2 ] && cmp -s ro/baseline.json before.json && [ "$(ls ro)" = baseline.json ] && ok || bad "atomic: exit $rc, $(ls ro)" ;;
*) bad "atomic: $out" ;;
esac

# A baseline that is not one: exit 2 with its position.
printf '{"version":1,"findings":[{"rule":"x"}]}\n' >broken.json
out=$("$svclint" -q --baseline broken.json . 2>&1); rc=$?
[ "$rc" = 2 ] && [ "$out" = 'svclint: broken.json:1:26: a finding needs "rule", "file" and a 16-digit hex "fingerprint"' ] \
	&& ok || bad "broken baseline: exit $rc, $out"

echo "baseline: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
