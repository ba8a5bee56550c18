package aotdump

import (
	"sort"

	"github.com/gcscope/gcscope/engine/wasm"
)

// SizeSummary says where a file's bytes go.
type SizeSummary struct {
	FileSize int
	// Sections lists every section's payload size, largest first.
	Sections []SectionSize
	// Largest lists the largest functions (native code size in an .aot
	// file, body size in a .wasm file), largest first, at most TopFuncs.
	Largest []FuncSize
	// StackMaps counts the wasmstackmaps section's safepoints; nil when
	// the file has none.
	StackMaps *StackMapCount
}

// SectionSize is one section's share of the file.
type SectionSize struct {
	Name    string
	Size    uint32
	Percent float64
}

// FuncSize is one function's size.
type FuncSize struct {
	Index uint32 // in the function index space
	Name  string
	Size  uint32
}

// TopFuncs is how many functions the summary lists.
const TopFuncs = 10

// Summary computes d's size summary.
func (d *Dump) Summary() SizeSummary {
	s := SizeSummary{FileSize: len(d.Data)}
	for i := range d.Sections {
		sec := &d.Sections[i]
		pct := 0.0
		if len(d.Data) > 0 {
			pct = float64(sec.Size) * 100 / float64(len(d.Data))
		}
		s.Sections = append(s.Sections, SectionSize{Name: sec.Name, Size: sec.Size, Percent: pct})
	}
	sort.SliceStable(s.Sections, func(i, j int) bool { return s.Sections[i].Size > s.Sections[j].Size })
	m := d.Module
	base := importedCount(m, wasm.ExternFunc)
	if d.AOT != nil {
		for i, fn := range d.AOT.Functions {
			s.Largest = append(s.Largest, FuncSize{Index: base + uint32(i), Name: d.AOT.FuncName(uint32(i)), Size: fn.CodeSize})
		}
	} else {
		for i := range m.Funcs {
			fi := base + uint32(i)
			s.Largest = append(s.Largest, FuncSize{Index: fi, Name: m.FuncName(fi), Size: bodySize(m.Binary, &m.Funcs[i])})
		}
	}
	sort.SliceStable(s.Largest, func(i, j int) bool { return s.Largest[i].Size > s.Largest[j].Size })
	if len(s.Largest) > TopFuncs {
		s.Largest = s.Largest[:TopFuncs]
	}
	if c, ok := d.CountStackMaps(); ok {
		s.StackMaps = &c
	}
	return s
}

// writeSummary prints the size summary.
func writeSummary(t *textWriter, d *Dump) {
	s := d.Summary()
	t.line("Summary: %d bytes", s.FileSize)
	for _, sec := range s.Sections {
		t.line("  %-16s %10d  %5.1f%%", sec.Name, sec.Size, sec.Percent)
	}
	if c := s.StackMaps; c != nil {
		t.line("Stack maps: %s", c.String())
	}
	if len(s.Largest) == 0 {
		return
	}
	what := "body"
	if d.Kind == KindAOT {
		what = "native code"
	}
	t.line("Largest functions (%s):", what)
	for _, f := range s.Largest {
		t.line("  %10d  %s", f.Size, named("func "+itoa(f.Index), f.Name))
	}
}

func itoa(v uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
