package wasm

// Module is a decoded or parsed WebAssembly module. The binary decoder and
// the text parser both produce it, the encoder and the printer consume it,
// and the validator checks it. Index spaces follow the spec: imported
// functions, tables, memories, globals and tags come first, then the ones the
// module defines.
type Module struct {
	Types     []SubType  // the type section, rec groups flattened
	RecGroups []RecGroup // how Types splits into recursion groups, in order
	Imports   []Import
	Funcs     []Func // defined functions (function and code sections together)
	Tables    []Table
	Memories  []Memory
	Tags      []Tag
	Globals   []Global
	Exports   []Export
	Start     *uint32 // the start function's index, if any
	Elems     []ElemSegment
	Datas     []DataSegment
	// DataCount is the data count section's value, if the module has one.
	DataCount *uint32
	Customs   []Custom
	// Names holds the name section's content, or, for a module parsed from
	// text, the identifiers it used ($names), so both paths name things alike.
	Names *Names
	// Binary is set when the module was decoded: the bytes offsets refer to.
	// A text module gets offsets when it is encoded (see Instr.Offset).
	Binary []byte
}

// ExternKind is the kind of an import or export.
type ExternKind uint8

// Import and export kinds, numbered as in the binary format.
const (
	ExternFunc   ExternKind = 0
	ExternTable  ExternKind = 1
	ExternMemory ExternKind = 2
	ExternGlobal ExternKind = 3
	ExternTag    ExternKind = 4
)

func (k ExternKind) String() string {
	switch k {
	case ExternFunc:
		return "func"
	case ExternTable:
		return "table"
	case ExternMemory:
		return "memory"
	case ExternGlobal:
		return "global"
	case ExternTag:
		return "tag"
	}
	return "extern?"
}

// Import is one entry of the import section. Which of the type fields is
// meaningful depends on Kind.
type Import struct {
	Module, Name string
	Kind         ExternKind
	TypeIndex    uint32 // ExternFunc, ExternTag: the function type
	Table        TableType
	Memory       MemoryType
	Global       GlobalType
	Pos          Pos
}

// Func is a function the module defines.
type Func struct {
	TypeIndex uint32
	Locals    []ValType // declared locals, expanded (parameters not included)
	// Body is the instruction sequence, flat, with explicit End instructions
	// closing every block and the final End closing the function.
	Body []Instr
	// Offset is the byte offset of the body's size field in the binary, and
	// BodyOffset that of its first local declaration; 0 when unknown.
	Offset     uint32
	BodyOffset uint32
	Pos        Pos
}

// Table is a table the module defines.
type Table struct {
	Type TableType
	// Init is the initial value for every element (Wasm 3.0 tables with an
	// initializer); nil means ref.null of the element type.
	Init Expr
	Pos  Pos
}

// Memory is a memory the module defines.
type Memory struct {
	Type MemoryType
	Pos  Pos
}

// Tag is an exception tag the module defines.
type Tag struct {
	Type TagType
	Pos  Pos
}

// Global is a global the module defines.
type Global struct {
	Type GlobalType
	Init Expr
	Pos  Pos
}

// Export is one entry of the export section.
type Export struct {
	Name  string
	Kind  ExternKind
	Index uint32
	Pos   Pos
}

// SegmentMode says whether a segment is applied at instantiation.
type SegmentMode uint8

// Segment modes.
const (
	SegmentActive SegmentMode = iota
	SegmentPassive
	SegmentDeclarative // element segments only
)

// ElemSegment is an element segment. Every item is kept as a constant
// expression, even when the binary used the compact function-index form.
type ElemSegment struct {
	Mode   SegmentMode
	Table  uint32 // active only
	Offset Expr   // active only
	Type   ValType
	Init   []Expr
	Pos    Pos
}

// DataSegment is a data segment.
type DataSegment struct {
	Mode   SegmentMode // SegmentActive or SegmentPassive
	Memory uint32      // active only
	Offset Expr        // active only
	Init   []byte
	Pos    Pos
}

// SectionID numbers the binary format's sections.
type SectionID uint8

// Section ids, as in the binary format.
const (
	SectionCustom    SectionID = 0
	SectionType      SectionID = 1
	SectionImport    SectionID = 2
	SectionFunction  SectionID = 3
	SectionTable     SectionID = 4
	SectionMemory    SectionID = 5
	SectionGlobal    SectionID = 6
	SectionExport    SectionID = 7
	SectionStart     SectionID = 8
	SectionElement   SectionID = 9
	SectionCode      SectionID = 10
	SectionData      SectionID = 11
	SectionDataCount SectionID = 12
	SectionTag       SectionID = 13
)

var sectionNames = [...]string{"custom", "type", "import", "function", "table", "memory",
	"global", "export", "start", "element", "code", "data", "datacount", "tag"}

func (s SectionID) String() string {
	if int(s) < len(sectionNames) {
		return sectionNames[s]
	}
	return "unknown"
}

// Custom is a custom section other than the name section, kept as bytes so
// that encoding a decoded module reproduces it. After says which known
// section it followed (0 if it came before all of them).
type Custom struct {
	Name  string
	Data  []byte
	After SectionID
}

// NameMap maps an index to its name.
type NameMap map[uint32]string

// IndirectNameMap maps an outer index (a function, a type) to the names of
// its inner items (locals, labels, fields).
type IndirectNameMap map[uint32]NameMap

// Names is the content of the name section, including the extended
// subsections.
type Names struct {
	Module   string
	Funcs    NameMap
	Locals   IndirectNameMap
	Labels   IndirectNameMap
	Types    NameMap
	Tables   NameMap
	Memories NameMap
	Globals  NameMap
	Elems    NameMap
	Datas    NameMap
	Fields   IndirectNameMap
	Tags     NameMap
}

// NumImported counts the imports of one kind.
func (m *Module) NumImported(k ExternKind) int {
	n := 0
	for i := range m.Imports {
		if m.Imports[i].Kind == k {
			n++
		}
	}
	return n
}

// FuncTypeIndex returns the type index of function fi in the function index
// space (imports first), and false if fi is out of range.
func (m *Module) FuncTypeIndex(fi uint32) (uint32, bool) {
	for i := range m.Imports {
		if m.Imports[i].Kind == ExternFunc {
			if fi == 0 {
				return m.Imports[i].TypeIndex, true
			}
			fi--
		}
	}
	if int64(fi) < int64(len(m.Funcs)) {
		return m.Funcs[fi].TypeIndex, true
	}
	return 0, false
}

// ExportedFunc returns the function index the module exports as name, and
// false if it exports no function by that name.
func (m *Module) ExportedFunc(name string) (uint32, bool) {
	for _, e := range m.Exports {
		if e.Name == name && e.Kind == ExternFunc {
			return e.Index, true
		}
	}
	return 0, false
}

// ExportNames returns the names of the module's exports, in order.
func (m *Module) ExportNames() []string {
	names := make([]string, len(m.Exports))
	for i, e := range m.Exports {
		names[i] = e.Name
	}
	return names
}

// FuncName returns the name of function fi from the name section, or "".
func (m *Module) FuncName(fi uint32) string {
	if m.Names == nil {
		return ""
	}
	return m.Names.Funcs[fi]
}

// RecGroupOf returns the index into RecGroups of the group holding type ti.
func (m *Module) RecGroupOf(ti uint32) int {
	lo, hi := 0, len(m.RecGroups)
	for lo < hi {
		mid := (lo + hi) / 2
		g := m.RecGroups[mid]
		switch {
		case ti < g.First:
			hi = mid
		case ti >= g.First+g.Count:
			lo = mid + 1
		default:
			return mid
		}
	}
	return -1
}
