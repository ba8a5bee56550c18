package printer

import (
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/gcscope/gcscope/engine/wasm"
)

// nameTable holds the printable identifier ("$x" or `$"x y"`) of every named
// item in one index space. Names that cannot be written back (empty, not
// UTF-8) or that repeat an earlier name are dropped or made unique, because
// the text format rejects duplicate identifiers in one index space and the
// printed text must read back.
type nameTable map[uint32]string

func newNameTable(nm wasm.NameMap) nameTable {
	if len(nm) == 0 {
		return nil
	}
	keys := make([]uint32, 0, len(nm))
	for k := range nm {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	used := make(map[string]bool, len(nm))
	t := make(nameTable, len(nm))
	for _, k := range keys {
		name := nm[k]
		if name == "" || !utf8.ValidString(name) {
			continue
		}
		if used[name] {
			// A later item with the same name keeps a recognisable variant.
			name = name + "#" + strconv.FormatUint(uint64(k), 10)
			if used[name] {
				continue
			}
		}
		used[name] = true
		t[k] = identifier(name)
	}
	return t
}

// get returns the identifier of item i, or "".
func (t nameTable) get(i uint32) string { return t[i] }

// moduleNames are the identifiers of a module's index spaces.
type moduleNames struct {
	funcs, types, tables, mems, globals, elems, datas, tags nameTable
	module                                                  string
	fields                                                  map[uint32]nameTable
	locals, labels                                          wasm.IndirectNameMap
}

func newModuleNames(n *wasm.Names) *moduleNames {
	mn := &moduleNames{}
	if n == nil {
		return mn
	}
	mn.funcs = newNameTable(n.Funcs)
	mn.types = newNameTable(n.Types)
	mn.tables = newNameTable(n.Tables)
	mn.mems = newNameTable(n.Memories)
	mn.globals = newNameTable(n.Globals)
	mn.elems = newNameTable(n.Elems)
	mn.datas = newNameTable(n.Datas)
	mn.tags = newNameTable(n.Tags)
	if n.Module != "" && utf8.ValidString(n.Module) {
		mn.module = identifier(n.Module)
	}
	if len(n.Fields) > 0 {
		mn.fields = make(map[uint32]nameTable, len(n.Fields))
		for ti, fm := range n.Fields {
			mn.fields[ti] = newNameTable(fm)
		}
	}
	mn.locals = n.Locals
	mn.labels = n.Labels
	return mn
}

// localNames returns the identifiers of function fi's parameters and locals.
func (mn *moduleNames) localNames(fi uint32) nameTable {
	if mn.locals == nil {
		return nil
	}
	return newNameTable(mn.locals[fi])
}

// labelName returns the identifier for the n-th block-like instruction of
// function fi, or "". Labels may shadow one another, so no uniqueness is
// needed here; references check for shadowing instead.
func (mn *moduleNames) labelName(fi uint32, n uint32) string {
	if mn.labels == nil {
		return ""
	}
	name, ok := mn.labels[fi][n]
	if !ok || name == "" || !utf8.ValidString(name) {
		return ""
	}
	return identifier(name)
}

// isIDChar reports whether c may appear in a plain $identifier.
func isIDChar(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '/', ':', '<', '=', '>', '?', '@', '\\', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// identifier writes a name as $name when it is made of identifier
// characters only, and in the quoted form $"..." otherwise.
func identifier(name string) string {
	plain := name != ""
	for i := 0; i < len(name); i++ {
		if !isIDChar(name[i]) {
			plain = false
			break
		}
	}
	if plain {
		return "$" + name
	}
	return "$" + string(appendString(nil, []byte(name), true))
}
