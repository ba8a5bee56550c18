package aotdump

import (
	"encoding/binary"
	"errors"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// readWasmStackMaps decodes the optional wasmstackmaps section, which
// aotfile.Read keeps as raw bytes, with aotfile's decoder. A problem is
// added to the dump with its absolute offset and marks the section
// damaged; the rest of the dump is unaffected.
func (d *Dump) readWasmStackMaps() {
	for i := range d.Sections {
		s := &d.Sections[i]
		if s.Content != ContentWasmMaps {
			continue
		}
		p := d.Bytes(s)
		maps, err := aotfile.DecodeWasmStackMaps(p, d.AOT.Functions)
		if err != nil {
			prob := wasmStackMapsProblem(err, p, s.Offset)
			d.Problems = append(d.Problems, prob)
			if s.Problem == nil {
				s.Problem = &prob
			}
			return
		}
		d.WasmStackMaps = maps
		return // the section table allows one section per id
	}
}

// wasmStackMapsProblem places a decoding error: the decoder's *aotfile.Error
// offsets count from the payload's start; its two plain errors are about
// the version word or, the version being right, the function count.
func wasmStackMapsProblem(err error, p []byte, off uint32) Problem {
	var ae *aotfile.Error
	if errors.As(err, &ae) {
		return Problem{Offset: int64(off) + ae.Offset, Section: ae.Section, Msg: ae.Msg}
	}
	at := int64(off)
	if len(p) >= 8 && binary.LittleEndian.Uint32(p) == aotfile.WasmStackMapsVersion {
		at += 4
	}
	return Problem{Offset: at, Section: "wasmstackmaps", Msg: trimPrefix(err.Error())}
}

// SlotKind says what a frame slot is (docs/frame-layout.md, "Slots of a
// frame").
type SlotKind string

// Slot kinds.
const (
	// SlotLocal is a parameter or declared local; SlotInfo.Index is its
	// local index (parameters first).
	SlotLocal SlotKind = "local"
	// SlotHidden is a hidden local (the exnref of a legacy try block);
	// Index counts them.
	SlotHidden SlotKind = "hidden"
	// SlotOperand is on the operand stack; Index is the slot's position
	// from the stack's bottom (a v128 below it takes two).
	SlotOperand SlotKind = "operand"
	// SlotLocalArea lies among the locals, but which one is not derivable:
	// the declared locals' types are in the function bodies, which an .aot
	// file does not hold (give the source module to know).
	SlotLocalArea SlotKind = "local_area"
)

// SlotInfo describes one slot of a frame.
type SlotInfo struct {
	Slot  uint32
	Kind  SlotKind
	Index uint32 // for SlotLocal, SlotHidden and SlotOperand
	Name  string // a local's name from the name section, or ""
}

// Label is the slot's description: `local 2 "tree"`, "operand 0",
// "hidden 0" or "a local".
func (s SlotInfo) Label() string {
	switch s.Kind {
	case SlotLocal:
		return named("local "+itoa(s.Index), s.Name)
	case SlotHidden, SlotOperand:
		return string(s.Kind) + " " + itoa(s.Index)
	}
	return "a local"
}

// DescribeSlot says what slot of defined function fn's frame holds, as far
// as the file tells (the parameters from the function's type, the operand
// stack from its locals count) and, when src is the module the file was
// compiled from, the declared and hidden locals too.
func (d *Dump) DescribeSlot(fn, slot uint32, src *wasm.Module) SlotInfo {
	info := SlotInfo{Slot: slot, Kind: SlotLocalArea}
	f := d.AOT
	if f == nil || uint64(fn) >= uint64(len(f.Functions)) {
		return info
	}
	rec := &f.Functions[fn]
	if slot >= rec.Locals {
		info.Kind, info.Index = SlotOperand, slot-rec.Locals
		return info
	}
	var params []wasm.ValType
	if ti := rec.TypeIndex; uint64(ti) < uint64(len(d.Module.Types)) && d.Module.Types[ti].Comp.Kind == wasm.CompFunc {
		params = d.Module.Types[ti].Comp.Params
	}
	var locals []wasm.ValType
	haveLocals := src != nil && len(src.Funcs) == len(f.Functions)
	if haveLocals {
		locals = src.Funcs[fn].Locals
	}
	first := uint32(0) // the first slot of local i
	for i, t := range append(params[:len(params):len(params)], locals...) {
		if slot == first {
			info.Kind, info.Index = SlotLocal, uint32(i)
			info.Name = d.localName(fn, uint32(i))
			return info
		}
		first += wasm.SlotWidth(t)
		if slot < first {
			return info // the second slot of a v128
		}
	}
	if haveLocals {
		info.Kind, info.Index = SlotHidden, slot-first
	}
	return info
}

// localName is local i of defined function fn's name, or "".
func (d *Dump) localName(fn, i uint32) string {
	n := d.Module.Names
	if n == nil || n.Locals == nil {
		return ""
	}
	return nameIn(n.Locals[d.AOT.NumImportedFuncs()+fn], i)
}

// StackMapCount counts what the wasmstackmaps section lists.
type StackMapCount struct {
	Functions  int // functions with at least one safepoint
	Safepoints int
	RefSlots   int // slots listed, over all safepoints
}

// CountStackMaps counts the decoded wasmstackmaps section; ok is false
// when the file has none (or it did not decode).
func (d *Dump) CountStackMaps() (c StackMapCount, ok bool) {
	if d.WasmStackMaps == nil {
		return c, false
	}
	for _, fm := range d.WasmStackMaps {
		if len(fm) > 0 {
			c.Functions++
		}
		c.Safepoints += len(fm)
		for _, m := range fm {
			c.RefSlots += len(m.Slots)
		}
	}
	return c, true
}

// String writes "5 safepoints in 3 functions, 2 reference slots".
func (c StackMapCount) String() string {
	return plural(c.Safepoints, "safepoint") + " in " + plural(c.Functions, "function") + ", " + plural(c.RefSlots, "reference slot")
}
