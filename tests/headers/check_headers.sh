#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# check_headers.sh - every public header compiles on its own, first in the
# file, as C99 and as C++11, with warnings as errors: what a program that
# uses libanaconda-auth (in either language) meets first.
# Usage: check_headers.sh CC CXX OUTDIR
set -eu
cc=${1:-cc} cxx=${2:-g++} out=${3:-build/headers}
rm -rf "$out"
mkdir -p "$out"
status=0
for h in common/include/*.h; do
	name=$(basename "$h" .h)
	printf '#include "%s"\nint main(void) { return 0; }\n' "$(basename "$h")" > "$out/$name.c"
done
# and the programs here, which use the header's macros
cp tests/headers/*.c "$out/"
for src in "$out"/*.c; do
	name=$(basename "$src" .c)
	if ! $cc -std=c99 -Wall -Wextra -Wpedantic -Werror -Icommon/include \
	    -c -o "$out/$name.c.o" "$src"; then
		echo "check_headers: $name.c does not compile as C99" >&2
		status=1
	fi
	cp "$src" "$out/$name.cpp"
	if ! $cxx -std=c++11 -Wall -Wextra -Wpedantic -Werror -Icommon/include \
	    -c -o "$out/$name.cpp.o" "$out/$name.cpp"; then
		echo "check_headers: $name.c does not compile as C++11" >&2
		status=1
	fi
done
exit $status
