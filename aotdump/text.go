package aotdump

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/printer"
)

// textWriter writes lines and keeps the first write error.
type textWriter struct {
	w   *bufio.Writer
	dis *printer.Disassembler
	d   *Dump
	o   *Options
	src *sourceIndex
}

func (t *textWriter) line(format string, args ...any) {
	fmt.Fprintf(t.w, format, args...)
	t.w.WriteByte('\n')
}

// WriteText prints d as text: the header, the section table, every
// selected section decoded, then the problems found, each with its offset.
func WriteText(w io.Writer, d *Dump, opts Options) error {
	t := &textWriter{w: bufio.NewWriter(w), dis: printer.NewDisassembler(d.Module), d: d, o: &opts, src: newSourceIndex(opts.Source)}
	title := opts.Title
	if title == "" {
		title = "file"
	}
	switch d.Kind {
	case KindAOT:
		t.line("%s: gcscope AOT file, %d bytes", title, len(d.Data))
	case KindWasm:
		t.line("%s: WebAssembly binary module, %d bytes", title, len(d.Data))
	default:
		t.line("%s: unknown file format, %d bytes", title, len(d.Data))
	}
	if opts.headerSelected() {
		if d.Kind == KindAOT && d.HeaderOK {
			t.aotHeader()
		}
		if d.Kind == KindWasm && len(d.Data) >= 8 {
			t.line("\nHeader:\n  magic:   %s\n  version: %d", hex.EncodeToString(d.Data[:4]), leU32(d.Data[4:8]))
		}
	}
	if len(opts.Sections) == 0 {
		t.sectionTable()
	}
	for i := range d.Sections {
		s := &d.Sections[i]
		if !opts.selected(s) {
			continue
		}
		t.section(s)
	}
	if opts.Summary {
		t.line("")
		writeSummary(t, d)
	}
	if !opts.NoProblems {
		t.problems()
	}
	return t.w.Flush()
}

func leU32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func (t *textWriter) aotHeader() {
	f := t.d.AOT
	h := &f.Header
	verifies := "verifies"
	if !f.ChecksumOK {
		verifies = fmt.Sprintf("MISMATCH: contents give 0x%08x", f.ComputedChecksum)
	}
	t.line("\nHeader:")
	t.line("  magic:              %s", hex.EncodeToString([]byte(aotfile.Magic)))
	t.line("  format version:     %d", h.FormatVersion)
	t.line("  ABI version:        %d", h.ABIVersion)
	t.line("  target:             %s", h.Target)
	t.line("  optimization level: %d", h.OptLevel)
	t.line("  flags:              %s (debug build: %s)", h.Flags, yesNo(h.Flags&aotfile.FlagDebug != 0))
	t.line("  features:           %s", h.Features)
	t.line("  compiler:           %q", h.Compiler)
	t.line("  module hash:        sha256:%s", hex.EncodeToString(h.ModuleHash[:]))
	t.line("  file size:          %d", h.FileSize)
	t.line("  section table:      %d entries at 0x%x", h.SectionCount, h.TableOffset)
	t.line("  checksum:           0x%08x (CRC-32C, %s)", h.Checksum, verifies)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (t *textWriter) sectionTable() {
	if len(t.d.Sections) == 0 {
		return
	}
	t.line("\nSections:")
	if t.d.Kind == KindAOT {
		t.line("  [Nr] Id      Name              Offset     Size       Align")
	} else {
		t.line("  [Nr] Id  Name              Offset     Size")
	}
	for i := range t.d.Sections {
		s := &t.d.Sections[i]
		bad := ""
		if s.Problem != nil {
			bad = "  (damaged)"
		}
		if t.d.Kind == KindAOT {
			t.line("  [%2d] 0x%04x  %-16s  0x%08x 0x%08x %5d%s", i, s.ID, s.Name, s.Offset, s.Size, s.Align, bad)
		} else {
			t.line("  [%2d] %2d  %-16s  0x%08x 0x%08x%s", i, s.ID, s.Name, s.Offset, s.Size, bad)
		}
	}
}

// section prints one section's contents.
func (t *textWriter) section(s *Section) {
	t.line("\nSection %s (id 0x%x) at 0x%x, %d bytes:", s.Name, s.ID, s.Offset, s.Size)
	if s.Problem != nil {
		t.line("  DAMAGED: %s", s.Problem.Error())
	}
	t.contents(s)
	if t.o.Hex {
		t.hex(t.d.Bytes(s), s.Offset)
	}
}

// hex writes b as a hex dump whose offsets start at base.
func (t *textWriter) hex(b []byte, base uint32) {
	for i := 0; i < len(b); i += 16 {
		row := b[i:min(i+16, len(b))]
		var hx, asc strings.Builder
		for k := 0; k < 16; k++ {
			if k < len(row) {
				fmt.Fprintf(&hx, "%02x ", row[k])
				c := row[k]
				if c < 0x20 || c > 0x7e {
					c = '.'
				}
				asc.WriteByte(c)
			} else {
				hx.WriteString("   ")
			}
			if k == 7 {
				hx.WriteByte(' ')
			}
		}
		t.line("  %08x  %s |%s|", int(base)+i, hx.String(), asc.String())
	}
}

// problems lists what is wrong, readelf style.
func (t *textWriter) problems() {
	if len(t.d.Problems) == 0 {
		return
	}
	t.line("\nProblems (%d):", len(t.d.Problems))
	for i := range t.d.Problems {
		t.line("  %s", t.d.Problems[i].Error())
	}
}

// WriteSection prints one section of d as WriteText does, for a viewer
// that shows sections one at a time (the TUI's AOT pane).
func WriteSection(w io.Writer, d *Dump, s *Section, opts Options) error {
	t := &textWriter{w: bufio.NewWriter(w), dis: printer.NewDisassembler(d.Module), d: d, o: &opts, src: newSourceIndex(opts.Source)}
	t.section(s)
	return t.w.Flush()
}

// WriteHeader prints the file header and the section table as WriteText
// does.
func WriteHeader(w io.Writer, d *Dump) error {
	t := &textWriter{w: bufio.NewWriter(w), dis: printer.NewDisassembler(d.Module), d: d, o: &Options{}, src: newSourceIndex(nil)}
	if d.Kind == KindAOT && d.HeaderOK {
		t.aotHeader()
	}
	t.sectionTable()
	return t.w.Flush()
}
