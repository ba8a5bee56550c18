package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

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
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--stack-size=4000", wasmOpt, path}, features...)
	args = append(args, "--fuzz-exec-before")
	cmd := exec.CommandContext(ctx, "node", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("wasm-opt --fuzz-exec-before %s: %v: %s", path, err, nodeError(stderr.String()))
	}
	return stdout.String(), nil
}

// agrees reports whether got matches binaryen's output want line for
// line, with compareLines' tolerances.
func agrees(got, want string) bool {
	defer func(n int) { tolerated = n }(tolerated) // a trial, not a count
	var r report
	compareLines(&r, got, want)
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
