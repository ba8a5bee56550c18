package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/printer"
)

func convertCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "convert", "FILE",
		"Convert a .wat module to .wasm, or a .wasm module to .wat. The output kind follows\n"+
			"the -o file's extension; without -o it is the other kind, next to the input.",
		"gcscope convert examples/fib.wat            # writes examples/fib.wasm",
		"gcscope convert -o fib.wat fib.wasm",
		"gcscope convert --no-validate -o broken.wasm broken.wat")
	out := fs.String("o", "", "output `file` (.wasm or .wat)")
	noValidate := fs.Bool("no-validate", false, "convert without validating first")
	folded := fs.Bool("folded", false, "write WAT with folded (nested) instructions")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	in := fs.Arg(0)
	m, err := readModule(in)
	if err == nil && !*noValidate {
		m, err = loadModule(in)
	}
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	dst := *out
	if dst == "" {
		ext := ".wasm"
		if src, _ := os.ReadFile(in); bytes.HasPrefix(src, wasmMagic) {
			ext = ".wat"
		}
		dst = strings.TrimSuffix(in, filepath.Ext(in)) + ext
	}
	var data []byte
	if strings.EqualFold(filepath.Ext(dst), ".wat") {
		var buf bytes.Buffer
		if _, err := printer.Print(&buf, m, printer.Options{Folded: *folded}); err != nil {
			fmt.Fprintf(env.stderr, "%s: printing: %v\n", in, err)
			return 1
		}
		data = buf.Bytes()
	} else {
		data, err = binary.Encode(m)
		if err != nil {
			fmt.Fprintf(env.stderr, "%s: encoding: %v\n", in, err)
			return 1
		}
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	fmt.Fprintf(env.stdout, "wrote %s (%d bytes)\n", dst, len(data))
	return 0
}
