package main

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// entryCall is what runModule calls: the entry's name ("" for none) and
// its parsed arguments, or for a WASI command the arguments it reads
// through WASI (its name first).
type entryCall struct {
	name     string
	vals     []runtime.Value
	wasiArgs []string
}

// pickEntry chooses the entry from the module alone (the export --invoke
// names, else _start, else main, else none) and parses its arguments, so
// that a wrong name or argument list is reported before instantiating,
// which on the AOT tier compiles the module first (minutes for a large
// program). A non-zero status is a usage error's, already reported.
func pickEntry(env *cliEnv, m *wasm.Module, path, invoke string, args []string, wasiCmd bool) (entryCall, int) {
	entry := invoke
	if entry == "" {
		for _, name := range []string{"_start", "main"} {
			if _, ok := m.ExportedFunc(name); ok {
				entry = name
				break
			}
		}
	}
	if entry == "" {
		if len(args) > 0 {
			fmt.Fprintf(env.stderr, "%s: arguments given, but the module exports no _start or main (use --invoke)\n", path)
			return entryCall{}, 2
		}
		return entryCall{}, 0
	}
	fi, ok := m.ExportedFunc(entry)
	if !ok {
		fmt.Fprintf(env.stderr, "%s: no exported function %q (exports: %v)\n", path, entry, m.ExportNames())
		return entryCall{}, 2
	}
	var params []wasm.ValType
	if ti, ok := m.FuncTypeIndex(fi); ok && int(ti) < len(m.Types) {
		params = m.Types[ti].Comp.Params
	}
	if wasiCmd && entry == "_start" && len(params) == 0 { // a WASI command: ARGS are its arguments
		return entryCall{name: entry, wasiArgs: append([]string{path}, args...)}, 0
	}
	if len(args) != len(params) {
		fmt.Fprintf(env.stderr, "%s: %s takes %d arguments %s, %d given\n", path, entry, len(params), wasm.TypeString(params), len(args))
		return entryCall{}, 2
	}
	vals := make([]runtime.Value, len(args))
	for i, a := range args {
		v, err := parseValue(a, params[i])
		if err != nil {
			fmt.Fprintf(env.stderr, "%s: argument %d of %s: %v\n", path, i+1, entry, err)
			return entryCall{}, 2
		}
		vals[i] = v
	}
	return entryCall{name: entry, vals: vals}, 0
}
