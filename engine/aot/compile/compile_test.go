package compile

import (
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

func parse(t testing.TB, src []byte) *wasm.Module {
	t.Helper()
	m, err := text.ParseModule(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Module(m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCompileExamples(t *testing.T) {
	for _, name := range []string{"fib.wat", "sieve.wat", "nbody.wat"} {
		src, err := examples.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m := parse(t, src)
		if os.Getenv("AOT_DUMP_IR") != "" {
			mod, err := GenerateIR(m)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile("/tmp/"+name+".ll", []byte(mod.String()), 0o644)
		}
		data, err := Compile(m, Options{OptLevel: 2})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f, err := aotfile.Read(data)
		if err != nil {
			t.Fatalf("%s: read back: %v", name, err)
		}
		if len(f.Functions) != len(m.Funcs) || len(f.Text) == 0 {
			t.Fatalf("%s: %d functions, %d bytes of text", name, len(f.Functions), len(f.Text))
		}
	}
}
