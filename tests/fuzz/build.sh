#!/bin/sh
# build.sh: builds the libFuzzer target fuzz_rollout.c with AddressSanitizer
# and UBSan.  Needs clang with libFuzzer (Debian: clang-14 and
# libclang-rt-14-dev).  Usage: tests/fuzz/build.sh [OUTPUT]; OUTPUT is
# build/fuzz_rollout when not given.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$(dirname "$here")")
out=${1:-$top/build/fuzz_rollout}
cc=${CC:-clang}
srcs=$(ls "$top"/planner/*.c | grep -v '/main\.c$')
# shellcheck disable=SC2086
$cc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -g -O1 -D_GNU_SOURCE -std=c11 -I"$top/planner" \
    $(pkg-config --cflags yaml-0.1 jansson libcgraph libgvc) \
    $srcs "$here/fuzz_rollout.c" -o "$out" \
    $(pkg-config --libs yaml-0.1 jansson libcgraph libgvc)
echo "built $out"
