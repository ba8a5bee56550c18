package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/gcscope/gcscope/aotdump"
	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/wasm"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// optionalFunc is a flag given alone (--disasm: every function) or with a
// value (--disasm=FUNC).
type optionalFunc struct {
	set  bool
	name string
}

func (o *optionalFunc) String() string { return o.name }
func (o *optionalFunc) Set(v string) error {
	o.set = true
	if v != "true" {
		o.name = v
	}
	return nil
}
func (o *optionalFunc) IsBoolFlag() bool { return true }

// dumpCmd is `gcscope dump`: every section of an .aot or .wasm file.
func dumpCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "dump", "FILE",
		"Show every section of an .aot or .wasm file (told apart by content), as text or JSON.\n"+
			"A damaged file is shown as far as it can be read; the problems and their offsets\n"+
			"follow on standard error and the exit status is 1.",
		"gcscope dump fib.aot",
		"gcscope dump --section functions --stackmaps fib.aot",
		"gcscope dump --disasm=fib --source fib.wasm fib.aot",
		"gcscope dump --json program.wasm | jq '.sections[].name'",
		"gcscope dump --summary --section text program.aot")
	var sections stringList
	var disasm optionalFunc
	fs.Var(&sections, "section", "show only section `NAME` (or id); repeatable; \"header\" is the file header")
	asJSON := fs.Bool("json", false, "print JSON (schema: aotdump/schema/dump.schema.json)")
	hexOut := fs.Bool("hex", false, "add the raw bytes of the selected sections")
	fs.Var(&disasm, "disasm", "disassemble the native code of every function, or of `FUNC` with --disasm=FUNC (.aot only)")
	source := fs.String("source", "", "the .wasm `FILE` the .aot was compiled from, to show its Wasm instructions next to offsets (default: FILE.wasm next to FILE.aot, if its hash matches)")
	stackmaps := fs.Bool("stackmaps", false, "list every safepoint's stack map")
	relocs := fs.Bool("relocs", false, "list every relocation")
	summary := fs.Bool("summary", false, "add the size taken by each section and the largest functions")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(env.stderr, "gcscope dump:", err)
		return 1
	}
	if looksLikeText(data) {
		// A .wat module is dumped as the binary it encodes to.
		m, err := readModule(path) // encodes it
		if err != nil {
			fmt.Fprintln(env.stderr, "gcscope dump:", err)
			return 1
		}
		data = m.Binary
	}
	d, _ := aotdump.Read(data)
	opts := aotdump.Options{Sections: sections, StackMaps: *stackmaps, Relocs: *relocs, Hex: *hexOut,
		Summary: *summary, Title: path, NoProblems: true}
	if err := d.CheckSections(&opts); err != nil {
		fmt.Fprintf(env.stderr, "gcscope dump: %s: %v\n", path, err)
		return 2
	}
	if disasm.set && *asJSON {
		fmt.Fprintln(env.stderr, "gcscope dump: --disasm prints text; it cannot be combined with --json")
		return 2
	}
	var note string
	opts.Source, note = dumpSource(d, path, *source)
	if note != "" {
		fmt.Fprintln(env.stderr, "gcscope dump:", note)
	}
	switch {
	case disasm.set:
		err = aotdump.WriteDisasm(env.stdout, d, aotdump.DisasmOptions{Func: disasm.name, Source: opts.Source})
	case *asJSON:
		err = aotdump.WriteJSON(env.stdout, d, opts)
	default:
		err = aotdump.WriteText(env.stdout, d, opts)
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope dump: %s: %v\n", path, err)
		return 1
	}
	if !d.OK() {
		fmt.Fprintf(env.stderr, "gcscope dump: %s is damaged (%d problems):\n", path, len(d.Problems))
		for i := range d.Problems {
			fmt.Fprintf(env.stderr, "  %s\n", d.Problems[i].Error())
		}
		return 1
	}
	return 0
}

// dumpSource finds the module an .aot file was compiled from: the one
// given, or the .wasm next to it. It returns a note when the module given
// cannot be used.
func dumpSource(d *aotdump.Dump, path, given string) (*wasm.Module, string) {
	if d.AOT == nil {
		return nil, ""
	}
	cand := given
	if cand == "" {
		if !strings.HasSuffix(path, ".aot") {
			return nil, ""
		}
		cand = strings.TrimSuffix(path, ".aot") + ".wasm"
		if _, err := os.Stat(cand); err != nil {
			cand = strings.TrimSuffix(path, ".aot") + ".wat"
			if _, err := os.Stat(cand); err != nil {
				return nil, ""
			}
		}
	}
	b, err := os.ReadFile(cand)
	if err != nil {
		return nil, err.Error()
	}
	if looksLikeText(b) {
		// gcscope compile encodes a text module; so does this.
		m, err := readModule(cand) // encodes it
		if err != nil {
			return nil, err.Error()
		}
		b = m.Binary
	}
	if !bytes.HasPrefix(b, wasmMagic) {
		return nil, fmt.Sprintf("%s: --source must be the .wasm or .wat module the .aot was compiled from", cand)
	}
	if aotfile.ModuleHash(b) != d.AOT.Header.ModuleHash {
		return nil, fmt.Sprintf("%s is not the module %s was compiled from (hash differs); Wasm instructions not shown", cand, path)
	}
	m, err := binary.Decode(b)
	if err != nil {
		return nil, fmt.Sprintf("%s: %v", cand, err)
	}
	return m, ""
}

// looksLikeText reports whether a file is WAT rather than a binary: it
// starts (after white space) with '(' or a ';;' comment.
func looksLikeText(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return bytes.HasPrefix(t, []byte("(")) || bytes.HasPrefix(t, []byte(";;")) || bytes.HasPrefix(t, []byte("(;"))
}
