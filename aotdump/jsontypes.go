package aotdump

// The JSON form of each kind of section content.

type jsonTargetInfo struct {
	Triple      string `json:"triple"`
	CPU         string `json:"cpu"`
	CPUFeatures string `json:"cpu_features"`
	CodeGen     string `json:"code_generator"`
}

type jsonRecGroup struct {
	Group int        `json:"group"`
	First uint32     `json:"first"`
	Types []jsonType `json:"types"`
}

type jsonType struct {
	Index   uint32      `json:"index"`
	Name    string      `json:"name,omitempty"`
	Kind    string      `json:"kind"`
	Final   bool        `json:"final"`
	Supers  []uint32    `json:"supertypes"`
	Params  []string    `json:"params,omitempty"`
	Results []string    `json:"results,omitempty"`
	Fields  []jsonField `json:"fields,omitempty"`
	Text    string      `json:"text"`
}

type jsonField struct {
	Index   int    `json:"index"`
	Name    string `json:"name,omitempty"`
	Type    string `json:"type"`
	Mutable bool   `json:"mutable"`
}

type jsonImport struct {
	Index  int    `json:"index"`
	Module string `json:"module"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Type   string `json:"type"`
}

type jsonFuncType struct {
	Func uint32 `json:"func"`
	Name string `json:"name,omitempty"`
	Type uint32 `json:"type"`
}

type jsonTable struct {
	Index uint32 `json:"index"`
	Type  string `json:"type"`
	Init  string `json:"init,omitempty"`
}

type jsonMemory struct {
	Index uint32 `json:"index"`
	Type  string `json:"type"`
}

type jsonTag struct {
	Index uint32 `json:"index"`
	Type  uint32 `json:"type"`
}

type jsonGlobal struct {
	Index uint32 `json:"index"`
	Name  string `json:"name,omitempty"`
	Type  string `json:"type"`
	Init  string `json:"init"`
}

type jsonExport struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Index uint32 `json:"index"`
}

type jsonStart struct {
	Func uint32 `json:"func"`
	Name string `json:"name,omitempty"`
}

type jsonElem struct {
	Index  int      `json:"index"`
	Mode   string   `json:"mode"`
	Table  *uint32  `json:"table,omitempty"`
	Offset string   `json:"offset,omitempty"`
	Type   string   `json:"type"`
	Items  []string `json:"items"`
}

type jsonData struct {
	Index  int     `json:"index"`
	Mode   string  `json:"mode"`
	Memory *uint32 `json:"memory,omitempty"`
	Offset string  `json:"offset,omitempty"`
	Size   int     `json:"size"`
	Hex    string  `json:"hex"`
}

type jsonNames struct {
	Module string                       `json:"module,omitempty"`
	Maps   map[string]map[string]string `json:"maps"`
	// Indirect maps: kind -> outer index -> inner index -> name.
	Indirect map[string]map[string]map[string]string `json:"indirect"`
}

type jsonCode struct {
	Func   uint32   `json:"func"`
	Name   string   `json:"name,omitempty"`
	Type   uint32   `json:"type"`
	Offset uint32   `json:"offset"`
	Size   uint32   `json:"size"`
	Locals []string `json:"locals"`
	WAT    string   `json:"wat"`
}

type jsonCustom struct {
	Name string `json:"name"`
	Size int    `json:"size"`
}

type jsonFunction struct {
	Index      uint32         `json:"index"`
	Func       uint32         `json:"func"`
	Name       string         `json:"name,omitempty"`
	Type       uint32         `json:"type"`
	CodeOffset uint32         `json:"code_offset"`
	CodeSize   uint32         `json:"code_size"`
	FrameSlots uint32         `json:"frame_slots"`
	Locals     uint32         `json:"locals"`
	StackMaps  []jsonStackMap `json:"stack_maps"`
}

type jsonStackMap struct {
	NativeOffset uint32   `json:"native_offset"`
	WasmOffset   uint32   `json:"wasm_offset"`
	RefSlots     []uint32 `json:"ref_slots"`
}

type jsonBlob struct {
	Size int `json:"size"`
}

type jsonReloc struct {
	Offset      uint32 `json:"offset"`
	Type        uint32 `json:"type"`
	TypeName    string `json:"type_name"`
	TargetKind  string `json:"target_kind"`
	TargetIndex uint32 `json:"target_index"`
	TargetName  string `json:"target_name,omitempty"`
	Addend      int64  `json:"addend"`
}

type jsonHelper struct {
	Slot uint32 `json:"slot"`
	Name string `json:"name"`
}

type jsonOffsetMap struct {
	Index uint32     `json:"index"`
	Func  uint32     `json:"func"`
	Name  string     `json:"name,omitempty"`
	Pairs [][2]int64 `json:"pairs"`
}
