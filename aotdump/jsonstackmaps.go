package aotdump

// The JSON form of the wasmstackmaps section (docs/dump-json.md).

type jsonWasmMaps struct {
	Index      uint32          `json:"index"`
	Func       uint32          `json:"func"`
	Name       string          `json:"name,omitempty"`
	Safepoints []jsonSafepoint `json:"safepoints"`
}

type jsonSafepoint struct {
	WasmOffset  uint32     `json:"wasm_offset"`
	Instruction string     `json:"instruction,omitempty"`
	Slots       []jsonSlot `json:"slots"`
}

type jsonSlot struct {
	Slot  uint32  `json:"slot"`
	Kind  string  `json:"kind"`
	Index *uint32 `json:"index,omitempty"`
	Name  string  `json:"name,omitempty"`
}

type jsonMapCount struct {
	Functions  int `json:"functions"`
	Safepoints int `json:"safepoints"`
	RefSlots   int `json:"ref_slots"`
}

// wasmStackMaps lists every defined function's safepoints, or nil when the
// section did not decode.
func (j *jsonBuilder) wasmStackMaps() *[]jsonWasmMaps {
	d := j.d
	if d.WasmStackMaps == nil {
		return nil
	}
	if j.src == nil {
		j.src = newSourceIndex(j.source)
	}
	out := []jsonWasmMaps{}
	base := d.AOT.NumImportedFuncs()
	for i, fm := range d.WasmStackMaps {
		fn := uint32(i)
		jf := jsonWasmMaps{Index: fn, Func: base + fn, Name: d.AOT.FuncName(fn), Safepoints: []jsonSafepoint{}}
		for _, m := range fm {
			sp := jsonSafepoint{WasmOffset: m.Offset, Instruction: j.src.instr(m.Offset), Slots: []jsonSlot{}}
			for _, s := range m.Slots {
				info := d.DescribeSlot(fn, s, j.source)
				js := jsonSlot{Slot: s, Kind: string(info.Kind), Name: info.Name}
				if info.Kind != SlotLocalArea {
					js.Index = ptr(info.Index)
				}
				sp.Slots = append(sp.Slots, js)
			}
			jf.Safepoints = append(jf.Safepoints, sp)
		}
		out = append(out, jf)
	}
	return &out
}

// stackMapCountJSON is the summary's count, or nil without the section.
func stackMapCountJSON(c *StackMapCount) *jsonMapCount {
	if c == nil {
		return nil
	}
	return &jsonMapCount{Functions: c.Functions, Safepoints: c.Safepoints, RefSlots: c.RefSlots}
}
