package crosscheck

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
)

// wabtModule is one text module sent to wabt, and what came back.
type wabtModule struct {
	Src string
	Hex string
	Err string
}

// TestWabtDifferential checks the parser against an independent one: wabt
// turns each suite module into a binary, the decoder reads it back, and the
// result must equal this parser's module. It runs only when GCSCOPE_WABT
// names a directory where `npm install wabt` was run (node and wabt are not
// build dependencies).
func TestWabtDifferential(t *testing.T) {
	dir := os.Getenv("GCSCOPE_WABT")
	if dir == "" {
		t.Skip("GCSCOPE_WABT not set")
	}
	mods := suiteModules(t)
	sent := make([]wabtModule, len(mods))
	for i, m := range mods {
		sent[i].Src = m.src
	}
	tmp := t.TempDir()
	in, out := filepath.Join(tmp, "in.json"), filepath.Join(tmp, "out.json")
	data, _ := json.Marshal(sent)
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("testdata/wabt2bin.js")
	cmd := exec.Command("node", script, in, out)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node: %v\n%s", err, msg)
	}
	var results []wabtModule
	data, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(data, &results)
	}
	if err != nil || len(results) != len(mods) {
		t.Fatalf("reading wabt output: %v (%d results for %d modules)", err, len(results), len(mods))
	}
	same, compared := 0, 0
	for i, r := range results {
		if r.Err != "" {
			continue // wabt lacks some Wasm 3.0 features
		}
		b, _ := hex.DecodeString(r.Hex)
		theirs, err := binary.Decode(b)
		if err != nil {
			continue // wabt's encoding of some GC types is not valid binary
		}
		mine, err := text.ParseModule([]byte(mods[i].src))
		if err != nil {
			t.Errorf("%s: %v", mods[i].where, err)
			continue
		}
		compared++
		wabtView(mine)
		stripSource(theirs)
		if wabtDataQuirk(mine) {
			theirs.Datas = mine.Datas
		}
		if d := firstDiff(mine, theirs); d != "" {
			if !wabtInvalidQuirk(mods[i].where) {
				t.Errorf("%s: %s", mods[i].where, d)
			}
			continue
		}
		same++
	}
	t.Logf("%d modules, %d converted by wabt and decoded, %d identical", len(mods), compared, same)
}

// wabtView strips a parsed module and rewrites it into the choices wabt
// makes where the binary format offers several: an empty else is dropped,
// a block type naming [] -> [t?] is written inline, and element segments of
// function indices use the compact encoding (which decodes as (ref func)).
func wabtView(m *wasm.Module) {
	stripSource(m)
	for i := range m.Funcs {
		f := &m.Funcs[i]
		var body []wasm.Instr
		for k, in := range f.Body {
			if in.Op == wasm.OpElse && f.Body[k+1].Op == wasm.OpEnd {
				continue
			}
			if in.Block.Kind == wasm.BlockFunc && in.Block.Index < uint32(len(m.Types)) {
				ct := m.Types[in.Block.Index].Comp
				switch {
				case len(ct.Params) == 0 && len(ct.Results) == 0:
					in.Block = wasm.BlockType{}
				case len(ct.Params) == 0 && len(ct.Results) == 1:
					in.Block = wasm.BlockType{Kind: wasm.BlockValue, Value: ct.Results[0]}
				}
			}
			body = append(body, in)
		}
		f.Body = body
	}
	for i := range m.Elems {
		e := &m.Elems[i]
		if e.Type != wasm.FuncRef {
			continue
		}
		compact := true
		for _, item := range e.Init {
			compact = compact && item[0].Op == wasm.OpRefFunc
		}
		if compact {
			e.Type = wasm.RefType(false, wasm.HeapFunc)
		}
	}
}

// wabtDataQuirk: wabt 1.0.39 writes data segments of memories other than 0
// with flag 2 but without the memory index, so they cannot be compared.
func wabtDataQuirk(m *wasm.Module) bool {
	for _, d := range m.Datas {
		if d.Memory != 0 {
			return true
		}
	}
	return false
}

// wabtInvalidQuirk lists invalid modules (from assert_invalid) that wabt
// rewrites: it drops `select (result)`'s empty type list, adds an
// unreachable before reading an uninitialized non-null local, and inserts a
// nop into an invalid select.
func wabtInvalidQuirk(where string) bool {
	switch where {
	case "core/select.wast:368:3", "core/func.wast:660:3", "core/ref.wast:78:3":
		return true
	}
	return false
}
