package aotdump

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
	"sort"
	"strconv"
	"strings"
)

// Options choose what the printers show.
type Options struct {
	// Sections keeps only the sections named (by name or by id, as
	// "0x21" or "33"); "header" selects an .aot file's header. Empty means
	// every section.
	Sections []string
	// StackMaps lists every safepoint's stack map under its function; the
	// text output otherwise gives only their count. JSON always has them.
	StackMaps bool
	// Relocs lists every relocation; the text output otherwise gives only
	// their count. JSON always has them.
	Relocs bool
	// Hex adds each selected section's raw bytes.
	Hex bool
	// Summary adds the size taken by each section and the largest
	// functions.
	Summary bool
	// Title names the file in the text output's first line.
	Title string
	// Source is the module an .aot file was compiled from, if known: the
	// offset map and stack maps then show the Wasm instructions, not only
	// their offsets.
	Source *wasm.Module
	// NoProblems leaves the list of problems out of the text output (the
	// command line prints them on standard error instead).
	NoProblems bool
}

// CheckSections reports an error naming the valid section names if some
// name in opts.Sections matches no section of d.
func (d *Dump) CheckSections(opts *Options) error {
	for _, want := range opts.Sections {
		if want == "header" {
			continue
		}
		found := false
		for i := range d.Sections {
			if d.Sections[i].matches(want) {
				found = true
				break
			}
		}
		if !found {
			var names []string
			for i := range d.Sections {
				names = append(names, d.Sections[i].Name)
			}
			sort.Strings(names)
			return fmt.Errorf("no section %q in this file; it has: header, %s", want, strings.Join(dedupe(names), ", "))
		}
	}
	return nil
}

func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// matches reports whether want names s, by name or by id.
func (s *Section) matches(want string) bool {
	if strings.EqualFold(want, s.Name) {
		return true
	}
	n, err := strconv.ParseUint(want, 0, 16)
	return err == nil && uint16(n) == s.ID
}

// selected reports whether section s is to be shown.
func (o *Options) selected(s *Section) bool {
	if len(o.Sections) == 0 {
		return true
	}
	for _, w := range o.Sections {
		if s.matches(w) {
			return true
		}
	}
	return false
}

// headerSelected reports whether the file header is to be shown.
func (o *Options) headerSelected() bool {
	if len(o.Sections) == 0 {
		return true
	}
	for _, w := range o.Sections {
		if w == "header" {
			return true
		}
	}
	return false
}
