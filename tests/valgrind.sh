#!/usr/bin/env bash
# valgrind.sh BUILD: the unit suites (CK_FORK=no, one process) and every fixture and example under
# valgrind's memcheck.  Any error or leak of any kind (definite, indirect, possible, still reachable)
# fails: each run logs to its own file, and every log must be empty.  `make valgrind` builds BUILD
# with -O1 -g and runs this.
set -u
build=$(realpath "${1:-build/valgrind}")
root=$(cd "$(dirname "$0")/.." && pwd)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
wrapper="$logs/svclint"

# fixtures.sh runs "$svclint" with the fixture's arguments: this wrapper runs it under valgrind.
cat >"$wrapper" <<EOF
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \\
	--track-origins=yes --log-file="$logs/run.%p.log" "$build/svclint" "\$@"
EOF
chmod +x "$wrapper"

status=0
echo "valgrind: fixtures"
bash "$root/tests/fixtures.sh" "$wrapper" | tail -3 || status=1
echo "valgrind: examples and formats"
for format in text json; do
	(cd "$root/examples" && "$wrapper" -q -f "$format" . >/dev/null 2>&1)
	[ $? -le 1 ] || status=1
done
(cd "$root/examples" && "$wrapper" -q -o "$logs/out.json" -f json etcd-prom.yaml - <etcd-prom-slice.yaml >/dev/null 2>&1)
echo "valgrind: unit suites"
(cd "$root" && CK_FORK=no SVCLINT="$build/svclint" valgrind -q --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=all --errors-for-leak-kinds=all --log-file="$logs/unit.%p.log" \
	"$build/test-svclint" >"$logs/unit.out" 2>&1) || { tail -20 "$logs/unit.out"; status=1; }

runs=$(find "$logs" -name '*.log' | wc -l)
dirty=$(find "$logs" -name '*.log' -size +0 | wc -l)
for f in $(find "$logs" -name '*.log' -size +0 | head -5); do
	echo "--- $f"
	head -40 "$f"
done
echo "valgrind: $runs processes checked, $dirty with errors or leaks"
[ "$runs" -gt 0 ] && [ "$dirty" -eq 0 ] && [ "$status" -eq 0 ]
