package aotdump

import (
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/wasm"
)

// contents prints what section s holds.
func (t *textWriter) contents(s *Section) {
	m := t.d.Module
	switch s.Content {
	case ContentTypes:
		t.types()
	case ContentImports:
		for i := range m.Imports {
			t.line("  %d: %s", i, t.importString(&m.Imports[i]))
		}
	case ContentFuncTypes:
		base := importedCount(m, wasm.ExternFunc)
		for i := range m.Funcs {
			fi := base + uint32(i)
			ti := m.Funcs[i].TypeIndex
			t.line("  %s: type %d (%s)", named("func "+strconv.Itoa(int(fi)), m.FuncName(fi)), ti, funcTypeString(m, ti))
		}
	case ContentTables:
		base := importedCount(m, wasm.ExternTable)
		for i := range m.Tables {
			tb := &m.Tables[i]
			ti := base + uint32(i)
			line := "  " + named("table "+strconv.Itoa(int(ti)), indexName(m, "table", ti)) + ": " + tableString(tb.Type)
			if len(tb.Init) > 0 {
				line += " init " + exprString(t.dis, tb.Init)
			}
			t.line("%s", line)
		}
	case ContentMemories:
		base := importedCount(m, wasm.ExternMemory)
		for i := range m.Memories {
			mi := base + uint32(i)
			t.line("  %s: %s", named("memory "+strconv.Itoa(int(mi)), indexName(m, "memory", mi)), memoryString(m.Memories[i].Type))
		}
	case ContentTags:
		base := importedCount(m, wasm.ExternTag)
		for i := range m.Tags {
			ti := m.Tags[i].Type.TypeIndex
			gi := base + uint32(i)
			t.line("  %s: type %d (%s)", named("tag "+strconv.Itoa(int(gi)), indexName(m, "tag", gi)), ti, funcTypeString(m, ti))
		}
	case ContentGlobals:
		base := importedCount(m, wasm.ExternGlobal)
		for i := range m.Globals {
			g := &m.Globals[i]
			gi := base + uint32(i)
			t.line("  %s: %s = %s", named("global "+strconv.Itoa(int(gi)), globalName(m, gi)), globalTypeString(g.Type), exprString(t.dis, g.Init))
		}
	case ContentExports:
		for i := range m.Exports {
			e := &m.Exports[i]
			target := e.Kind.String() + " " + strconv.Itoa(int(e.Index))
			if e.Kind == wasm.ExternFunc {
				target = named(target, m.FuncName(e.Index))
			}
			t.line("  %q -> %s", e.Name, target)
		}
	case ContentStart:
		if m.Start != nil {
			t.line("  start: %s", named("func "+strconv.Itoa(int(*m.Start)), m.FuncName(*m.Start)))
		}
	case ContentElems:
		t.elems()
	case ContentDatas:
		for i := range m.Datas {
			ds := &m.Datas[i]
			where := modeString(ds.Mode)
			if ds.Mode == wasm.SegmentActive {
				where += " memory " + strconv.Itoa(int(ds.Memory)) + " offset " + exprString(t.dis, ds.Offset)
			}
			t.line("  %s: %s, %d bytes: %s", named("data "+strconv.Itoa(i), indexName(m, "data", uint32(i))), where, len(ds.Init), quoteBytes(ds.Init, 32))
		}
	case ContentDataCount:
		if m.DataCount != nil {
			t.line("  data count: %d", *m.DataCount)
		}
	case ContentNames:
		t.names()
	case ContentCode:
		t.code()
	case ContentCustom:
		if s.Custom >= 0 && s.Custom < len(m.Customs) {
			c := &m.Customs[s.Custom]
			t.line("  custom section %q, %d bytes of contents", c.Name, len(c.Data))
		}
	default:
		t.aotContents(s)
	}
}

func globalName(m *wasm.Module, gi uint32) string { return indexName(m, "global", gi) }

// indexName is the name-section name of item i of a kind ("table",
// "memory", "global", "tag", "elem", "data"), or "".
func indexName(m *wasm.Module, kind string, i uint32) string {
	if m.Names == nil {
		return ""
	}
	for _, km := range nameMaps(m.Names) {
		if km.kind == kind {
			return nameIn(km.m, i)
		}
	}
	return ""
}

func (t *textWriter) importString(im *wasm.Import) string {
	return strconv.Quote(im.Module) + "." + strconv.Quote(im.Name) + ": " + im.Kind.String() + " " + importType(t.d.Module, im)
}

// importType describes what an import brings in.
func importType(m *wasm.Module, im *wasm.Import) string {
	switch im.Kind {
	case wasm.ExternFunc, wasm.ExternTag:
		return "type " + strconv.Itoa(int(im.TypeIndex)) + " (" + funcTypeString(m, im.TypeIndex) + ")"
	case wasm.ExternTable:
		return tableString(im.Table)
	case wasm.ExternMemory:
		return memoryString(im.Memory)
	case wasm.ExternGlobal:
		return globalTypeString(im.Global)
	}
	return "?"
}

// types prints the types by recursion group, with subtyping, finality and
// field names.
func (t *textWriter) types() {
	m := t.d.Module
	for gi, g := range m.RecGroups {
		indent := "  "
		if g.Count != 1 {
			t.line("  rec group %d (types %d..%d):", gi, g.First, g.First+g.Count-1)
			indent = "    "
		}
		for ti := g.First; ti < g.First+g.Count && uint64(ti) < uint64(len(m.Types)); ti++ {
			st := &m.Types[ti]
			var attrs []string
			if st.Final {
				attrs = append(attrs, "final")
			} else {
				attrs = append(attrs, "open")
			}
			if len(st.Supers) > 0 {
				sup := make([]string, len(st.Supers))
				for k, s := range st.Supers {
					sup[k] = named(strconv.Itoa(int(s)), typeName(m, s))
				}
				attrs = append(attrs, "sub of "+strings.Join(sup, ", "))
			}
			t.line("%s%s: %s [%s]", indent, named("type "+strconv.Itoa(int(ti)), typeName(m, ti)),
				compString(m, ti, &st.Comp), strings.Join(attrs, ", "))
		}
	}
}

func (t *textWriter) elems() {
	m := t.d.Module
	for i := range m.Elems {
		e := &m.Elems[i]
		where := modeString(e.Mode)
		if e.Mode == wasm.SegmentActive {
			where += " table " + strconv.Itoa(int(e.Table)) + " offset " + exprString(t.dis, e.Offset)
		}
		items := make([]string, 0, len(e.Init))
		for k, x := range e.Init {
			if k == 16 {
				items = append(items, "...")
				break
			}
			items = append(items, exprString(t.dis, x))
		}
		t.line("  %s: %s, %s, %d items: %s", named("elem "+strconv.Itoa(i), indexName(m, "elem", uint32(i))), where, e.Type, len(e.Init), strings.Join(items, ", "))
	}
}

// names prints the name section's contents, sorted by index.
func (t *textWriter) names() {
	n := t.d.Module.Names
	if n == nil {
		return
	}
	if n.Module != "" {
		t.line("  module: %q", n.Module)
	}
	for _, nm := range nameMaps(n) {
		for _, k := range sortedKeys(nm.m) {
			t.line("  %s %d: %q", nm.kind, k, nm.m[k])
		}
	}
	for _, im := range indirectMaps(n) {
		for _, k := range sortedKeys(im.m) {
			inner := im.m[k]
			for _, j := range sortedKeys(inner) {
				t.line("  %s %d.%d: %q", im.kind, k, j, inner[j])
			}
		}
	}
}
