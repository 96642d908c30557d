#!/usr/bin/env bash
# fixtures.sh: runs svclint over every case in fixtures/<rule-id>/ and compares with the exact
# expected output.  A case is an input (bad-*.yaml, good-*.json, ... or a folder bad-*/) with
# <case>.expected beside it: svclint's stdout followed by a line "[exit N]".  <case>.args holds extra
# arguments.  bad-* cases must report the folder's rule, good-* cases must not.  Prints a diff for
# every case that differs; UPDATE=1 rewrites the .expected files instead (review them with git diff);
# ONLY="rule-id ..." limits the run to those folders.
set -u
svclint=$(realpath "${1:-build/svclint}")
root=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
failed_cases=()

for dir in "$root"/fixtures/*/; do
	rule=$(basename "$dir")
	# ONLY="rule-a rule-b" limits the run (and UPDATE) to those folders.
	if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $rule "* ]]; then
		continue
	fi
	for input in "$dir"*; do
		name=$(basename "$input")
		case "$name" in
		*.expected|*.args|*.md) continue ;;
		esac
		base=${name%.yaml}; base=${base%.yml}; base=${base%.json}
		expected="$dir$base.expected"
		if [ ! -f "$expected" ] && [ -z "${UPDATE:-}" ]; then
			echo "FAIL $rule/$name: no $base.expected"
			fail=$((fail + 1)); failed_cases+=("$rule/$name")
			continue
		fi
		args=()
		if [ -f "$dir$base.args" ]; then
			read -r -a args < "$dir$base.args"
		fi
		actual=$(cd "$dir" && "$svclint" -q -j 2 "${args[@]}" "$name" 2>/dev/null; echo "[exit $?]")
		if [ -n "${UPDATE:-}" ]; then
			printf '%s\n' "$actual" > "$expected"
		fi
		ok=1
		if ! diff -u --label "$rule/$base.expected" --label "actual" "$expected" <(printf '%s\n' "$actual"); then
			ok=0
		fi
		case "$base" in
		bad-*) grep -q "\[$rule\]" <<<"$actual" || { echo "FAIL $rule/$name: a bad-* case must report [$rule]"; ok=0; } ;;
		good-*) if grep -q "\[$rule\]" <<<"$actual"; then echo "FAIL $rule/$name: a good-* case must not report [$rule]"; ok=0; fi ;;
		*) echo "FAIL $rule/$name: case names start with bad- or good-"; ok=0 ;;
		esac
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1)); failed_cases+=("$rule/$name")
		fi
	done
done
for c in "${failed_cases[@]+"${failed_cases[@]}"}"; do echo "failed: $c"; done
echo "fixtures: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
