#!/bin/sh
# pool-libyaml.sh: make the copy of the static libyaml that allocates from svclint's parse pool
# (linter/parse_pool.h): its calls to malloc, realloc, free and strdup renamed to parse_pool_*.
#
# Usage: pool-libyaml.sh --check ARCHIVE     prints nothing when ARCHIVE can be pooled, else why not
#        pool-libyaml.sh ARCHIVE OUTPUT      writes OUTPUT and checks it
# Environment: NM, OBJCOPY (default nm, objcopy).
#
# The check is what makes the renaming safe: libyaml must reach the C library's allocator through
# those four functions only.  A libyaml that also called calloc, say, would hand the pool blocks it
# never made; such an archive is refused, and the Makefile links the shared libyaml instead.
set -eu

nm=${NM:-nm}
objcopy=${OBJCOPY:-objcopy}
pooled="malloc realloc free strdup"
other="calloc reallocarray strndup aligned_alloc posix_memalign memalign valloc pvalloc malloc_usable_size"

# refuse ARCHIVE: prints why ARCHIVE cannot be pooled, or nothing.
refuse() {
	[ -f "$1" ] || { echo "no static libyaml at $1"; return; }
	command -v "$nm" >/dev/null 2>&1 || { echo "$nm is missing"; return; }
	command -v "$objcopy" >/dev/null 2>&1 || { echo "$objcopy is missing"; return; }
	undefined=$("$nm" -u "$1" 2>/dev/null | awk '$1 == "U" { print $2 }' | sed 's/@.*//' | sort -u) ||
		{ echo "$nm cannot read $1"; return; }
	for f in $other; do
		if echo "$undefined" | grep -qx "$f"; then
			echo "$1 calls $f, which the parse pool does not replace"
			return
		fi
	done
	echo "$undefined" | grep -qx malloc || echo "$1 does not call malloc: not the libyaml the pool knows"
}

if [ "${1:-}" = --check ]; then
	[ $# -eq 2 ] || { echo "usage: pool-libyaml.sh --check ARCHIVE" >&2; exit 2; }
	refuse "$2"
	exit 0
fi
[ $# -eq 2 ] || { echo "usage: pool-libyaml.sh ARCHIVE OUTPUT" >&2; exit 2; }
why=$(refuse "$1")
if [ -n "$why" ]; then
	echo "pool-libyaml.sh: $why (make YAML_POOL=0 links the shared libyaml)" >&2
	exit 1
fi
renames=""
for f in $pooled; do
	renames="$renames --redefine-sym $f=parse_pool_$f"
done
# shellcheck disable=SC2086
"$objcopy" $renames "$1" "$2.tmp"
left=$("$nm" -u "$2.tmp" | awk '$1 == "U" { print $2 }' | sed 's/@.*//' | sort -u)
for f in $pooled; do
	if echo "$left" | grep -qx "$f"; then
		rm -f "$2.tmp"
		echo "pool-libyaml.sh: $2 still calls $f after renaming" >&2
		exit 1
	fi
done
echo "$left" | grep -qx parse_pool_malloc || {
	rm -f "$2.tmp"
	echo "pool-libyaml.sh: $2 does not call parse_pool_malloc after renaming" >&2
	exit 1
}
mv "$2.tmp" "$2"
