package compile

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// lineRow is one row of the object's line table: from text offset addr on,
// the code came from the Wasm instruction at byte offset wasm (0: none).
type lineRow struct {
	addr uint64
	wasm uint32
	end  bool // end of a sequence: no code from here on
}

// readLineTable reads the .debug_line of llc's object (lines.go made the
// line numbers Wasm offsets). debug/elf applies the object's .rela.debug_*
// relocations, so addresses are offsets in .text. An object without debug
// sections yields no rows.
func readLineTable(obj []byte) ([]lineRow, error) {
	ef, err := elf.NewFile(bytes.NewReader(obj))
	if err != nil {
		return nil, fmt.Errorf("aot: llc output: %w", err)
	}
	defer ef.Close()
	if ef.Section(".debug_line") == nil {
		return nil, nil
	}
	d, err := ef.DWARF()
	if err != nil {
		return nil, fmt.Errorf("aot: llc output's DWARF: %w", err)
	}
	var rows []lineRow
	r := d.Reader()
	for {
		cu, err := r.Next()
		if err != nil {
			return nil, fmt.Errorf("aot: llc output's DWARF: %w", err)
		}
		if cu == nil {
			break
		}
		if cu.Tag != dwarf.TagCompileUnit {
			r.SkipChildren()
			continue
		}
		lr, err := d.LineReader(cu)
		if err != nil {
			return nil, fmt.Errorf("aot: llc output's line table: %w", err)
		}
		r.SkipChildren()
		if lr == nil {
			continue
		}
		var e dwarf.LineEntry
		for {
			if err := lr.Next(&e); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return nil, fmt.Errorf("aot: llc output's line table: %w", err)
			}
			if e.Line < 0 || e.Line > 1<<32-1 {
				return nil, fmt.Errorf("aot: line table row at 0x%x has line %d, not a Wasm offset", e.Address, e.Line)
			}
			rows = append(rows, lineRow{addr: e.Address, wasm: uint32(e.Line), end: e.EndSequence})
		}
	}
	return rows, nil
}

// offsetMap cuts the line table's rows into defined function i's map:
// the rows whose ranges overlap [start, start+size), relative to start.
// Where several rows share an address, the last wins (the others cover no
// code); consecutive pairs with the same Wasm offset are merged. Code
// between sequences (padding) and the range before a function's first row
// become Wasm offset 0.
func offsetMap(rows []lineRow, i uint32, start, size uint64) aotfile.OffsetMap {
	m := aotfile.OffsetMap{Func: i, Pairs: []aotfile.OffsetPair{}}
	end := start + size
	// The row in force at start: the last one at or before it.
	k := sort.Search(len(rows), func(j int) bool { return rows[j].addr > start }) - 1
	add := func(native uint64, wasm uint32, isEnd bool) {
		if isEnd {
			wasm = 0
		}
		rel := uint32(native - start)
		if n := len(m.Pairs); n > 0 && m.Pairs[n-1].Native == rel {
			m.Pairs = m.Pairs[:n-1]
		}
		if n := len(m.Pairs); n > 0 && m.Pairs[n-1].Wasm == wasm {
			return
		}
		m.Pairs = append(m.Pairs, aotfile.OffsetPair{Native: rel, Wasm: wasm})
	}
	if k >= 0 {
		add(start, rows[k].wasm, rows[k].end)
	} else {
		add(start, 0, true)
	}
	for _, r := range rows[k+1:] {
		if r.addr >= end {
			break
		}
		add(r.addr, r.wasm, r.end)
	}
	return m
}

// sortRows orders the rows of every sequence by address. At one address
// a sequence's end comes before the next sequence's rows, and rows of one
// sequence keep their order (the last one covers the code).
func sortRows(rows []lineRow) {
	sort.SliceStable(rows, func(a, b int) bool {
		if rows[a].addr != rows[b].addr {
			return rows[a].addr < rows[b].addr
		}
		return rows[a].end && !rows[b].end
	})
}
