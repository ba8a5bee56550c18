package loader

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
)

const smallWat = `(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`

func compileSmall(t *testing.T) []byte {
	t.Helper()
	data, err := compile.Compile(parse(t, smallWat), compile.Options{OptLevel: 1})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// rewrite decodes data, lets edit change the file and encodes it again.
func rewrite(t *testing.T, data []byte, edit func(f *aotfile.File)) []byte {
	t.Helper()
	f, err := aotfile.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	edit(f)
	out, err := aotfile.Write(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLoadRejects(t *testing.T) {
	good := compileSmall(t)
	m, err := Load(good)
	if err != nil {
		t.Fatalf("good file: %v", err)
	}
	if len(m.Entries) != 1 {
		t.Fatalf("%d entries", len(m.Entries))
	}
	m.Close()
	m.Close() // twice is harmless

	flipped := append([]byte(nil), good...)
	flipped[len(flipped)-1] ^= 0xff
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":    {nil, "header"},
		"checksum": {flipped, "checksum"},
		"abi":      {rewrite(t, good, func(f *aotfile.File) { f.Header.ABIVersion = 99 }), "recompile"},
		"arch": {rewrite(t, good, func(f *aotfile.File) { f.Header.Target.Arch = aotfile.ArchAArch64 }),
			"compiled for aarch64"},
		"helper":  {rewrite(t, good, func(f *aotfile.File) { f.Helpers[0].Name = "gc_alloc" }), "helper"},
		"entries": {rewrite(t, good, func(f *aotfile.File) { f.Extra = nil }), "entries"},
		"entry outside": {rewrite(t, good, func(f *aotfile.File) { f.Extra[0].Data = []byte{0xff, 0xff, 0xff, 0} }),
			"outside the text"},
	}
	for name, c := range cases {
		m, err := Load(c.data)
		if err == nil {
			m.Close()
			t.Errorf("%s: loaded", name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to mention %q", name, err, c.want)
		}
	}
}
