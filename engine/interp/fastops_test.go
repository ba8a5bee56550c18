package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

// TestFastCoversItsOps checks that fast has a case for every opcode of
// fastops.go: run hands fast the instruction under a breakpoint when
// isFast says so, and fast would hand an opcode it lacks back to run at
// the breakpoint again, forever.
func TestFastCoversItsOps(t *testing.T) {
	fset := token.NewFileSet()
	ops, err := parser.ParseFile(fset, "fastops.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	exec, err := parser.ParseFile(fset, "exec_fast.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{}
	ast.Inspect(exec, func(n ast.Node) bool {
		if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name != "fast" {
			return false
		}
		if cc, ok := n.(*ast.CaseClause); ok {
			for _, e := range cc.List {
				if id, ok := e.(*ast.Ident); ok {
					cases[id.Name] = true
				}
			}
		}
		return true
	})
	var names []string
	ast.Inspect(ops, func(n ast.Node) bool {
		gd, ok := n.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST || len(gd.Specs) == 0 {
			return true
		}
		if vs := gd.Specs[0].(*ast.ValueSpec); vs.Names[0].Name != "opI32Add" {
			return false
		}
		for _, s := range gd.Specs {
			for _, id := range s.(*ast.ValueSpec).Names {
				names = append(names, id.Name)
			}
		}
		return false
	})
	if len(names) != int(opLastFast-opFirstFast+1) {
		t.Fatalf("found %d opcodes in fastops.go, want %d", len(names), opLastFast-opFirstFast+1)
	}
	for _, n := range names {
		if !cases[n] {
			t.Errorf("fast has no case for %s", n)
		}
	}
}
