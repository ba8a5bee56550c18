// Package loader maps .aot files for execution and runs them: Load
// verifies a file and maps its code (relocated, then read+exec, never
// writable and executable at once); Engine is a runtime.Engine that
// compiles modules ahead of time at instantiation and runs them natively
// through engine/aot/native.
package loader

import (
	"encoding/binary"
	"fmt"
	"syscall"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
)

// Module is a loaded .aot file: its decoded sections and its code mapped
// executable.
type Module struct {
	File *aotfile.File
	// Entries holds the address of each defined function's entry wrapper.
	Entries []uintptr
	// maps says which frame slots hold references at each safepoint
	// (the wasmstackmaps section; a frame's size is its function's
	// FrameSlots).
	maps    *aotfile.WasmStackMapTable
	mapping []byte
	text    uintptr
	debug   *debugInfo // debug builds (debug.go)
}

// Load verifies data (checksum, target, exec env ABI, features, helper
// names, every offset) and maps its code. Close releases the mapping.
func Load(data []byte) (*Module, error) {
	f, err := aotfile.Read(data)
	if err != nil {
		return nil, err
	}
	h := &f.Header
	if err := h.CheckTarget(aotfile.HostTarget()); err != nil {
		return nil, err
	}
	if err := h.CheckABI(runtime.ABIVersion); err != nil {
		return nil, err
	}
	if err := h.CheckFeatures(supportedFeatures); err != nil {
		return nil, err
	}
	if h.Target.Arch != aotfile.ArchX86_64 {
		return nil, fmt.Errorf("aot: only x86-64 code can be loaded yet")
	}
	for _, hp := range f.Helpers {
		if hp.Slot >= compile.NumHelpers || compile.HelperNames[hp.Slot] != hp.Name {
			return nil, fmt.Errorf("aot: the code needs helper %q in slot %d, which this runtime does not provide", hp.Name, hp.Slot)
		}
	}
	var entries, maps []byte
	for _, x := range f.Extra {
		switch x.ID {
		case compile.SectionEntries:
			entries = x.Data
		case aotfile.SectionWasmStackMaps:
			maps = x.Data
		}
	}
	if f.Module == nil || len(entries) != 4*len(f.Functions) || len(f.Functions) != len(f.Module.Funcs) {
		return nil, fmt.Errorf("aot: the file's entries section does not list its %d functions", len(f.Functions))
	}
	stackMaps, err := readStackMaps(f, maps)
	if err != nil {
		return nil, err
	}
	dbg, err := readDebugInfo(f)
	if err != nil {
		return nil, err
	}
	if len(f.Text) == 0 {
		if len(f.Functions) == 0 {
			return &Module{File: f, maps: stackMaps, debug: dbg}, nil
		}
		return nil, fmt.Errorf("aot: the file has functions but no code")
	}
	m := &Module{File: f, maps: stackMaps, debug: dbg}
	if err := m.mapCode(); err != nil {
		return nil, err
	}
	for i := range f.Functions {
		off := binary.LittleEndian.Uint32(entries[4*i:])
		if uint64(off) >= uint64(len(f.Text)) {
			m.Close()
			return nil, fmt.Errorf("aot: function %d's entry 0x%x lies outside the text", i, off)
		}
		m.Entries = append(m.Entries, m.text+uintptr(off))
	}
	m.writePerfMap()
	return m, nil
}

// mapCode maps text and rodata together (relative relocations must reach
// from one to the other), patches the relocations in the still-writable
// copy, then makes text read+exec and rodata read-only.
func (m *Module) mapCode() error {
	f := m.File
	page := uint64(syscall.Getpagesize())
	textLen := (uint64(len(f.Text)) + page - 1) &^ (page - 1)
	roLen := (uint64(len(f.Rodata)) + page - 1) &^ (page - 1)
	mp, err := syscall.Mmap(-1, 0, int(textLen+roLen), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return fmt.Errorf("aot: mapping code: %w", err)
	}
	m.mapping = mp
	text := mp[:len(f.Text)]
	copy(text, f.Text)
	copy(mp[textLen:], f.Rodata)
	m.text = uintptr(unsafe.Pointer(&mp[0]))
	textAddr, roAddr := uint64(m.text), uint64(m.text)+textLen
	for _, r := range f.Relocs {
		s, err := f.RelocTarget(r, textAddr, roAddr)
		if err == nil {
			err = aotfile.Patch(f.Header.Target.Arch, text, textAddr, r, s, 0)
		}
		if err != nil {
			m.Close()
			return err
		}
	}
	if err := syscall.Mprotect(mp[:textLen], syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
		m.Close()
		return fmt.Errorf("aot: making code executable: %w", err)
	}
	if roLen > 0 {
		if err := syscall.Mprotect(mp[textLen:], syscall.PROT_READ); err != nil {
			m.Close()
			return fmt.Errorf("aot: protecting rodata: %w", err)
		}
	}
	return nil
}

// Close unmaps the code. Nothing may run it afterwards.
func (m *Module) Close() error {
	if m.mapping == nil {
		return nil
	}
	err := syscall.Munmap(m.mapping)
	m.mapping, m.Entries, m.text = nil, nil, 0
	return err
}
