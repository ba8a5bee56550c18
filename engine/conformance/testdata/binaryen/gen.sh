#!/bin/sh
# Generates random modules with binaryen 132's fuzzer and records what
# binaryen's interpreter prints when it runs them (--fuzz-exec-before), as
# the shared corpus ../shared/programs/binaryen_fuzz was made. The
# conformance test compares the engine's run of each tN.wasm with
# tN.fuzzexec.txt.
#
# Usage: gen.sh FIRST LAST [OUTDIR]   (seeds FIRST..LAST; OUTDIR defaults
# to this folder; $EXTRA_FEATURES adds wasm-opt feature flags). Needs
# node and the npm package binaryen@132.0.0, found through
# $BINARYEN_NODE_MODULES (a node_modules folder holding it):
#   npm install --prefix /tmp/b binaryen@132.0.0
#   BINARYEN_NODE_MODULES=/tmp/b/node_modules sh gen.sh 1 40
# Each seed's input bytes are SHA-256 blocks of "gcscope-fuzz-SEED-i", so
# a seed always gives the same module. t1-t40 were made with the base
# features below; t101-t140 and t230 with
#   EXTRA_FEATURES="--enable-multimemory --enable-memory64 --enable-simd"
set -eu
first=$1 last=$2 out=${3:-$(dirname "$0")}
wasm_opt="node ${BINARYEN_NODE_MODULES:?set BINARYEN_NODE_MODULES}/binaryen/bin/wasm-opt"
# Base features: Wasm 3.0 without SIMD, threads, memory64 and multiple
# memories.
features="--enable-gc --enable-reference-types --enable-exception-handling
  --enable-tail-call --enable-bulk-memory --enable-bulk-memory-opt
  --enable-multivalue --enable-sign-ext --enable-nontrapping-float-to-int
  --enable-mutable-globals --enable-extended-const ${EXTRA_FEATURES:-}"
seed=$first
while [ "$seed" -le "$last" ]; do
	input=$(mktemp)
	i=0
	while [ $i -lt 128 ]; do
		printf 'gcscope-fuzz-%s-%s' "$seed" "$i" | sha256sum | cut -c1-64 | xxd -r -p >>"$input"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	# -g keeps binaryen's names (a name section), which its exception
	# messages use for the module's tags.
	if $wasm_opt "$input" -ttf $features -g -o "$out/t$seed.wasm" --fuzz-exec-before \
		>"$out/t$seed.fuzzexec.txt" 2>/dev/null; then
		echo "t$seed: $(wc -l <"$out/t$seed.fuzzexec.txt") lines"
	else
		echo "t$seed: binaryen failed, skipped"
		rm -f "$out/t$seed.wasm" "$out/t$seed.fuzzexec.txt"
	fi
	rm -f "$input"
	seed=$((seed + 1))
done
