package conformance

import "strings"

// The differential test compares our runs with what binaryen's
// interpreter printed while generating the module (--fuzz-exec-before
// with -ttf), which runs binaryen's in-memory IR. That IR is not always
// the module the binary holds: binaryen's writer replaces what it cannot
// emit, such as a struct.set whose reference is typed nullref (the type
// index it would need does not exist; likewise struct.get, array.get,
// array.fill, array.copy...), by drops of the operands and `unreachable`
// — so binaryen's interpreter traps "null ref" in memory and
// "unreachable" on the binary (gc6049, all6263, all6419). On the binary,
// the spec agrees with "unreachable": the operands are evaluated (and
// dropped) before the trap, as they are before struct.set's null check. When one of our runs
// differs from the in-memory output, binaryen is run once more on the
// written binary, and that output, the same module ours ran, becomes the
// reference.

// binaryenOnBinary runs binaryen's interpreter on the module file at
// path with the features of the profile it was generated with, as
// --fuzz-exec-before runs it, and returns what it printed.
func binaryenOnBinary(wasmOpt, path string, features []string) (string, error) {
	args := append([]string{wasmOpt, path}, features...)
	return runWasmOpt(append(args, "--fuzz-exec-before"), "wasm-opt --fuzz-exec-before "+path)
}

// agrees reports whether got matches binaryen's output want line for
// line, with compareLines' tolerances.
func agrees(got, want string) bool {
	var r report
	diffLines(&r, got, want) // a trial: tolerated counts the checks' lines only
	return !r.failed()
}

// binaryenReference returns the binaryen output our runs (outs) of module
// f are compared with: the in-memory output when they all agree with
// it, else binaryen's run of the written binary, with fromBinary set
// when that differs from the in-memory output. An error running binaryen
// again keeps the in-memory output.
func binaryenReference(wasmOpt string, f *fuzzModule, outs ...string) (want string, fromBinary bool, err error) {
	disagree := false
	for _, o := range outs {
		if !agrees(o, f.want) {
			disagree = true
		}
	}
	if !disagree {
		return f.want, false, nil
	}
	p, err := selectProfiles(f.profile)
	if err != nil {
		return f.want, false, err
	}
	bin, err := binaryenOnBinary(wasmOpt, f.path, p[0].features)
	if err != nil {
		return f.want, false, err
	}
	return bin, bin != f.want, nil
}

// differingLines counts the lines where a and b differ.
func differingLines(a, b string) int {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n := 0
	for i := range max(len(x), len(y)) {
		if lineAt(x, i, "(end)") != lineAt(y, i, "(end)") {
			n++
		}
	}
	return n
}
