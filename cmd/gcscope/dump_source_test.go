package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestDumpJSONSource checks that --json takes the source module as text
// does: next to the .aot (found by name, checked by hash) or named by
// --source, the stack maps' safepoints carry their Wasm instructions;
// without it they do not.
func TestDumpJSONSource(t *testing.T) {
	dir := t.TempDir()
	wasmPath := filepath.Join(dir, "bt.wasm")
	aotPath := filepath.Join(dir, "bt.aot")
	if code, _, errOut := runCLI("convert", "-o", wasmPath, filepath.Join("..", "..", "examples", "binary_trees.wat")); code != 0 {
		t.Fatalf("convert: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI("compile", "--opt-level", "0", "-o", aotPath, wasmPath); code != 0 {
		t.Fatalf("compile: exit %d: %s", code, errOut)
	}
	lone := filepath.Join(t.TempDir(), "alone.aot")
	data, err := os.ReadFile(aotPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lone, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want bool
	}{
		{"beside", []string{aotPath}, true},
		{"flag", []string{"--source", wasmPath, lone}, true},
		{"none", []string{lone}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"dump", "--json", "--section", "wasmstackmaps"}, c.args...)
			code, out, errOut := runCLI(args...)
			if code != 0 {
				t.Fatalf("dump: exit %d: %s", code, errOut)
			}
			var doc struct {
				Sections []struct {
					WasmStackMaps []struct {
						Safepoints []struct {
							Instruction string `json:"instruction"`
						} `json:"safepoints"`
					} `json:"wasm_stack_maps"`
				} `json:"sections"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			safepoints, named := 0, 0
			for _, s := range doc.Sections {
				for _, f := range s.WasmStackMaps {
					for _, sp := range f.Safepoints {
						safepoints++
						if sp.Instruction != "" {
							named++
						}
					}
				}
			}
			if safepoints == 0 {
				t.Fatalf("no safepoints in the JSON:\n%s", out)
			}
			if got := named == safepoints; got != c.want {
				t.Errorf("%d of %d safepoints name their instruction, want all: %v", named, safepoints, c.want)
			}
		})
	}
}
