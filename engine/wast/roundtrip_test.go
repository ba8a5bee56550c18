package wast

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/printer"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

// stripPlaces zeroes what differs between two readings of the same module
// by nature: byte offsets, text positions and the source bytes, and the
// difference between empty and absent lists.
func stripPlaces(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			stripPlaces(v.Elem())
		}
	case reflect.Slice, reflect.Map:
		// An empty list and no list read the same.
		if v.Len() == 0 && v.CanSet() {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		if v.Kind() == reflect.Map {
			return
		}
		for i := 0; i < v.Len(); i++ {
			stripPlaces(v.Index(i))
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			stripPlaces(v.Index(i))
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			f, name := v.Field(i), t.Field(i).Name
			// Segment offsets are expressions named Offset too: only the
			// uint32 byte offsets are places.
			isPlace := (name == "Offset" || name == "BodyOffset") && f.Kind() == reflect.Uint32 ||
				f.Type() == reflect.TypeOf(wasm.Pos{}) || name == "Binary"
			if isPlace {
				f.Set(reflect.Zero(f.Type()))
				continue
			}
			stripPlaces(f)
		}
	}
}

func sameModule(a, b *wasm.Module) bool {
	for _, m := range []*wasm.Module{a, b} {
		stripPlaces(reflect.ValueOf(m))
		if m.Names != nil && reflect.ValueOf(*m.Names).IsZero() {
			m.Names = nil // no names, however written
		}
	}
	return reflect.DeepEqual(a, b)
}

// TestSuiteRoundTrip takes every module of the spec suite that loads and
// checks that encode → decode → encode gives the same bytes and the same
// module, and that the text module equals the decoded one.
func TestSuiteRoundTrip(t *testing.T) {
	files, err := Collect([]string{shared.Testsuite(t)})
	if err != nil {
		t.Fatal(err)
	}
	modules, textSame := 0, 0
	var textDiffs []string
	for _, file := range files {
		for _, def := range suiteModules(t, file) {
			m, err := Load(def)
			if err != nil {
				continue // the front-end suite test reports modules that do not load
			}
			b1, err := binary.Encode(m)
			if err != nil {
				t.Errorf("%s:%s: encode: %v", file, def.Pos, err)
				continue
			}
			m1, err := binary.Decode(b1)
			if err != nil {
				t.Errorf("%s:%s: decode of encoded module: %v", file, def.Pos, err)
				continue
			}
			b2, err := binary.Encode(m1)
			if err != nil {
				t.Errorf("%s:%s: re-encode: %v", file, def.Pos, err)
				continue
			}
			m2, err := binary.Decode(b2)
			if err != nil {
				t.Errorf("%s:%s: decode of re-encoded module: %v", file, def.Pos, err)
				continue
			}
			modules++
			if !bytes.Equal(b1, b2) {
				t.Errorf("%s:%s: encode(decode(b)) differs from b", file, def.Pos)
			}
			if !sameModule(m1, m2) {
				t.Errorf("%s:%s: decode → encode → decode changed the module", file, def.Pos)
			}
			if def.Form == text.ModuleText || def.Form == text.ModuleQuote {
				if sameModule(textAsBinary(m, m1), m1) {
					textSame++
				} else {
					textDiffs = append(textDiffs, fmt.Sprintf("%s:%s", file, def.Pos))
				}
			}
		}
	}
	if modules < 1000 {
		t.Fatalf("only %d modules round-tripped", modules)
	}
	for _, d := range textDiffs {
		t.Errorf("%s: the text module differs from its decoded binary", d)
	}
	t.Logf("%d modules round-tripped; %d text modules equal their binary form", modules, textSame)
}

// textAsBinary returns a copy of a text module with what only the binary
// form has settled: the data count section it implies, and where custom
// sections land (text places them relative to sections that may be
// absent). Custom sections are then compared by name and content only.
func textAsBinary(m, decoded *wasm.Module) *wasm.Module {
	c := *m
	if c.DataCount == nil {
		c.DataCount = decoded.DataCount
	}
	c.Customs = normalizeCustoms(c.Customs)
	decoded.Customs = normalizeCustoms(decoded.Customs)
	return &c
}

func normalizeCustoms(cs []wasm.Custom) []wasm.Custom {
	out := append([]wasm.Custom(nil), cs...)
	for i := range out {
		out[i].After = 0
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return string(out[i].Data) < string(out[j].Data)
	})
	return out
}

// suiteModules returns the modules of a script that are meant to load.
func suiteModules(t *testing.T, file string) []*text.ModuleDef {
	script, err := readScript(file)
	if err != nil {
		t.Errorf("%v", err)
		return nil
	}
	var defs []*text.ModuleDef
	var walk func(cmds []text.Command)
	walk = func(cmds []text.Command) {
		for _, c := range cmds {
			switch c.Kind {
			case text.CmdModule, text.CmdAssertUnlinkable, text.CmdAssertUninstantiable, text.CmdAssertTrap:
				if c.Module != nil && c.Module.Form != text.ModuleInstance {
					defs = append(defs, c.Module)
				}
			case text.CmdThread:
				walk(c.Body)
			}
		}
	}
	walk(script.Commands)
	return defs
}

// TestSuitePrintRoundTrip prints every module of the suite that loads and
// parses the printed text back: the printer and the parser must agree on
// every construct the suite uses.
func TestSuitePrintRoundTrip(t *testing.T) {
	files, err := Collect([]string{shared.Testsuite(t)})
	if err != nil {
		t.Fatal(err)
	}
	modules := 0
	for _, file := range files {
		for _, def := range suiteModules(t, file) {
			m, err := Load(def)
			if err != nil {
				continue
			}
			b, err := binary.Encode(m)
			if err != nil {
				continue // TestSuiteRoundTrip reports it
			}
			decoded, err := binary.Decode(b)
			if err != nil {
				continue
			}
			var buf bytes.Buffer
			if _, err := printer.Print(&buf, decoded, printer.Options{}); err != nil {
				t.Errorf("%s:%s: print: %v", file, def.Pos, err)
				continue
			}
			reparsed, err := text.ParseModule(buf.Bytes())
			if err != nil {
				t.Errorf("%s:%s: the printed module does not parse: %v", file, def.Pos, err)
				continue
			}
			modules++
			if !sameModule(textAsBinary(reparsed, decoded), decoded) {
				t.Errorf("%s:%s: printing and parsing changed the module", file, def.Pos)
			}
		}
	}
	if modules < 1000 {
		t.Fatalf("only %d modules printed and parsed back", modules)
	}
	t.Logf("%d modules printed and parsed back", modules)
}
