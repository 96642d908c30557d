#!/usr/bin/env bash
# pool-libyaml.sh: scripts/pool-libyaml.sh on small archives made here: which it accepts, why it
# refuses the others (exact messages), and what its renaming leaves (no call to the C library's
# allocator, calls to parse_pool_*).  Needs cc, ar, nm and objcopy, as the build does.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
script=$root/scripts/pool-libyaml.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-cc}
pass=0 fail=0

# archive NAME C-SOURCE: compiles the source into $work/NAME.a.
archive() {
	printf '%s\n' "$2" >"$work/$1.c"
	"$cc" -c -o "$work/$1.o" "$work/$1.c" && ar rcs "$work/$1.a" "$work/$1.o"
}

# expect NAME WANTED-OUTPUT WANTED-STATUS COMMAND...: output (stdout and stderr) and status exactly.
expect() {
	local name=$1 want=$2 want_status=$3 got status
	shift 3
	got=$("$@" 2>&1)
	status=$?
	if [ "$got" = "$want" ] && [ "$status" -eq "$want_status" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: status $status (wanted $want_status), output:"
		echo "$got"
		echo "wanted:"
		echo "$want"
	fi
}

archive plain 'void *malloc(unsigned long); void free(void *); char *strdup(const char *);
void *f(void) { free(strdup("x")); return malloc(1); }'
archive zeroed 'void *malloc(unsigned long); void *calloc(unsigned long, unsigned long);
void *f(void) { return calloc(1, malloc(1) != 0); }'
archive none 'int f(int x) { return x + 1; }'

expect "accepts an archive that calls malloc, free and strdup" "" 0 sh "$script" --check "$work/plain.a"
expect "refuses calloc" "$work/zeroed.a calls calloc, which the parse pool does not replace" 0 \
	sh "$script" --check "$work/zeroed.a"
expect "refuses an archive without malloc" \
	"$work/none.a does not call malloc: not the libyaml the pool knows" 0 sh "$script" --check "$work/none.a"
expect "refuses a missing archive" "no static libyaml at $work/missing.a" 0 \
	sh "$script" --check "$work/missing.a"
expect "refuses without objcopy" "objcopy-that-is-not-there is missing" 0 \
	env OBJCOPY=objcopy-that-is-not-there sh "$script" --check "$work/plain.a"

expect "renames" "" 0 sh "$script" "$work/plain.a" "$work/pooled.a"
expect "leaves parse_pool_* and no allocator call" "parse_pool_free
parse_pool_malloc
parse_pool_strdup" 0 sh -c "nm -u '$work/pooled.a' | awk '\$1 == \"U\" { print \$2 }' | sort"
expect "keeps the archive's own symbols" "f" 0 sh -c "nm --defined-only '$work/pooled.a' | awk '\$2 == \"T\" { print \$3 }'"
expect "will not rename a refused archive" \
	"pool-libyaml.sh: $work/zeroed.a calls calloc, which the parse pool does not replace (make YAML_POOL=0 links the shared libyaml)" \
	1 sh "$script" "$work/zeroed.a" "$work/refused.a"
expect "writes nothing when it refuses" "" 1 test -e "$work/refused.a"

echo "pool-libyaml: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
