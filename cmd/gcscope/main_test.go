package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/examples"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = dispatch(&cliEnv{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestEverySubcommandHasHelpWithExamples(t *testing.T) {
	for _, c := range commands() {
		code, out, errOut := runCLI(c.name, "--help")
		text := out + errOut
		if code != 0 || !strings.Contains(text, "Usage: gcscope "+c.name) {
			t.Errorf("%s --help: exit %d, output %q", c.name, code, text)
		}
		if c.name != "version" && !strings.Contains(text, "Examples:") {
			t.Errorf("%s --help shows no examples", c.name)
		}
	}
}

func TestUnknownSubcommandAndBadFlags(t *testing.T) {
	if code, _, errOut := runCLI("frobnicate"); code != 2 || !strings.Contains(errOut, "unknown subcommand") {
		t.Errorf("unknown subcommand: exit %d, %q", code, errOut)
	}
	if code, _, _ := runCLI("run", "--no-such-flag", "x.wat"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	if code, _, errOut := runCLI("run", "--heap-size", "lots", "x.wat"); code != 2 || !strings.Contains(errOut, "heap-size") {
		t.Errorf("bad size: exit %d, %q", code, errOut)
	}
}

func TestRunExamples(t *testing.T) {
	for name, want := range examples.MainResults {
		path := filepath.Join("..", "..", "examples", name)
		code, out, errOut := runCLI("run", path)
		if code != 0 || strings.TrimSpace(out) != strconv.FormatInt(want, 10) {
			t.Errorf("run %s: exit %d, stdout %q (want %d), stderr %q", name, code, out, want, errOut)
		}
	}
}

func TestRunInvokeWithArguments(t *testing.T) {
	code, out, errOut := runCLI("run", "--invoke", "fib", filepath.Join("..", "..", "examples", "fib.wat"), "20")
	if code != 0 || strings.TrimSpace(out) != "6765" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = runCLI("run", "--invoke", "fib", filepath.Join("..", "..", "examples", "fib.wat"), "twenty")
	if code != 2 || !strings.Contains(errOut, "not an i32") {
		t.Errorf("bad argument: exit %d, stderr %q", code, errOut)
	}
}

func TestRunReportsTrapWithBacktrace(t *testing.T) {
	dir := t.TempDir()
	src := `(module (func $inner (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
	  (func (export "main") (result i32) (call $inner)))`
	path := filepath.Join(dir, "trap.wat")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI("run", path)
	if code != 1 || !strings.Contains(errOut, "integer divide by zero") || !strings.Contains(errOut, "inner") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestConvertAndValidate(t *testing.T) {
	dir := t.TempDir()
	wasmPath := filepath.Join(dir, "fib.wasm")
	code, _, errOut := runCLI("convert", "-o", wasmPath, filepath.Join("..", "..", "examples", "fib.wat"))
	if code != 0 {
		t.Fatalf("convert: exit %d: %s", code, errOut)
	}
	if code, out, errOut := runCLI("validate", wasmPath); code != 0 || !strings.Contains(out, "valid") {
		t.Errorf("validate: exit %d, %q %q", code, out, errOut)
	}
	watPath := filepath.Join(dir, "back.wat")
	if code, _, errOut := runCLI("convert", "-o", watPath, wasmPath); code != 0 {
		t.Fatalf("convert back: exit %d: %s", code, errOut)
	}
	if code, out, _ := runCLI("run", watPath); code != 0 || strings.TrimSpace(out) != strconv.FormatInt(examples.MainResults["fib.wat"], 10) {
		t.Errorf("run converted module: exit %d, %q", code, out)
	}
}

func TestCompileAndRunNative(t *testing.T) {
	dir := t.TempDir()
	aot := filepath.Join(dir, "sieve.aot")
	src := filepath.Join("..", "..", "examples", "sieve.wat")
	if code, out, errOut := runCLI("compile", "-o", aot, src); code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("compile: exit %d, %q %q", code, out, errOut)
	}
	want := strconv.FormatInt(examples.MainResults["sieve.wat"], 10)
	if code, out, errOut := runCLI("run", aot); code != 0 || strings.TrimSpace(out) != want {
		t.Errorf("run %s: exit %d, %q (want %s), %q", aot, code, out, want, errOut)
	}
	t.Setenv("XDG_CACHE_HOME", dir)
	if code, out, errOut := runCLI("run", "--aot", src); code != 0 || strings.TrimSpace(out) != want {
		t.Errorf("run --aot: exit %d, %q (want %s), %q", code, out, want, errOut)
	}
	// A damaged .aot is refused with the place, not run.
	data, err := os.ReadFile(aot)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xFF
	bad := filepath.Join(dir, "bad.aot")
	if err := os.WriteFile(bad, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("run", bad); code != 1 || !strings.Contains(errOut, "checksum") {
		t.Errorf("run damaged .aot: exit %d, %q", code, errOut)
	}
}
