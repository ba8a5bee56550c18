package validate

import (
	"math/rand"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// byteSource hands out fuzz bytes as small choices, zero when exhausted.
type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) next() byte {
	if s.i >= len(s.b) {
		return 0
	}
	s.i++
	return s.b[s.i-1]
}

func (s *byteSource) small(n int) uint32 { return uint32(int(s.next()) % n) }

func (s *byteSource) heap() wasm.HeapType {
	switch v := s.next(); {
	case v < 96:
		return wasm.HeapType(v % 6) // a type index, maybe out of range
	case v < 250:
		return wasm.HeapType(-0x0C - int(v%12)) // an abstract heap type
	case v < 253:
		return wasm.HeapBot
	default:
		return wasm.HeapType(int64(v) << 30) // absurd
	}
}

func (s *byteSource) val() wasm.ValType {
	k := s.next() % 8
	if k == 6 {
		return wasm.RefType(s.next()&1 == 0, s.heap())
	}
	return wasm.ValType{Kind: wasm.Kind(k)}
}

func (s *byteSource) vals() []wasm.ValType {
	n := s.small(3)
	out := make([]wasm.ValType, n)
	for i := range out {
		out[i] = s.val()
	}
	return out
}

func (s *byteSource) expr() wasm.Expr {
	e := wasm.Expr{s.instr()}
	if s.next()&3 != 0 {
		e = append(e, end())
	}
	return e
}

func (s *byteSource) instr() wasm.Instr {
	ops := wasm.AllOps()
	in := wasm.Instr{Op: ops[int(s.next())*len(ops)/256].Op}
	if s.next() == 255 {
		in.Op = wasm.Opcode(0xFB0000 | uint32(s.next())) // maybe no such opcode
	}
	in.Index, in.Index2 = s.small(5), s.small(5)
	in.Align = s.small(6)
	in.Lane = s.next() % 40
	in.Value = uint64(s.next()) << (s.next() % 40)
	in.Block = wasm.BlockType{Kind: wasm.BlockKind(s.small(4)), Value: s.val(), Index: s.small(8)}
	in.Ref, in.Ref2 = s.val(), s.val()
	if s.next()&1 == 0 {
		in.Ext = &wasm.InstrExt{Types: s.vals()}
		for i := s.small(4); i > 0; i-- {
			in.Ext.Labels = append(in.Ext.Labels, s.small(4))
			in.Ext.Catches = append(in.Ext.Catches, wasm.Catch{Kind: wasm.CatchKind(s.small(5)), Tag: s.small(3), Label: s.small(4)})
		}
		for i := range in.Ext.Bytes {
			in.Ext.Bytes[i] = s.next() % 40
		}
	}
	return in
}

// fuzzModule builds an arbitrary, mostly invalid module from bytes: every
// field may be out of range, nil or inconsistent.
func fuzzModule(b []byte) *wasm.Module {
	s := &byteSource{b: b}
	m := &wasm.Module{}
	for i := s.small(5); i > 0; i-- {
		st := wasm.SubType{Final: s.next()&1 == 0, Comp: wasm.CompositeType{Kind: wasm.CompKind(s.small(4))}}
		if s.next()&3 == 0 {
			st.Supers = []uint32{s.small(6)}
		}
		switch st.Comp.Kind {
		case wasm.CompFunc:
			st.Comp.Params, st.Comp.Results = s.vals(), s.vals()
		default:
			for j := s.small(3); j > 0; j-- {
				st.Comp.Fields = append(st.Comp.Fields, wasm.FieldType{Mutable: s.next()&1 == 0,
					Storage: wasm.StorageType{Packed: wasm.Packed(s.small(4)), Val: s.val()}})
			}
		}
		m.Types = append(m.Types, st)
	}
	if s.next()&1 == 0 {
		for i := range m.Types {
			m.RecGroups = append(m.RecGroups, wasm.RecGroup{First: uint32(i), Count: 1})
		}
	} else {
		m.RecGroups = []wasm.RecGroup{{First: 0, Count: uint32(len(m.Types))}}
	}
	for i := s.small(3); i > 0; i-- {
		m.Imports = append(m.Imports, wasm.Import{Kind: wasm.ExternKind(s.small(6)), TypeIndex: s.small(6),
			Global: wasm.GlobalType{Val: s.val(), Mutable: s.next()&1 == 0},
			Table:  wasm.TableType{Elem: s.val(), Limits: wasm.Limits{Min: uint64(s.small(3))}},
			Memory: wasm.MemoryType{Limits: wasm.Limits{Min: uint64(s.small(3)), Max: 1, HasMax: s.next()&1 == 0}, Addr64: s.next()&1 == 0}})
	}
	for i := s.small(2); i > 0; i-- {
		m.Memories = append(m.Memories, wasm.Memory{Type: wasm.MemoryType{Limits: wasm.Limits{Min: 1}, Addr64: s.next()&1 == 0, Shared: s.next()&1 == 0}})
	}
	for i := s.small(2); i > 0; i-- {
		m.Tables = append(m.Tables, wasm.Table{Type: wasm.TableType{Elem: s.val(), Addr64: s.next()&1 == 0}})
		if s.next()&1 == 0 {
			m.Tables[len(m.Tables)-1].Init = s.expr()
		}
	}
	for i := s.small(3); i > 0; i-- {
		m.Globals = append(m.Globals, wasm.Global{Type: wasm.GlobalType{Val: s.val(), Mutable: s.next()&1 == 0}, Init: s.expr()})
	}
	for i := s.small(2); i > 0; i-- {
		m.Tags = append(m.Tags, wasm.Tag{Type: wasm.TagType{TypeIndex: s.small(6)}})
	}
	for i := s.small(3); i > 0; i-- {
		e := wasm.ElemSegment{Mode: wasm.SegmentMode(s.small(4)), Table: s.small(3), Type: s.val(), Offset: s.expr()}
		for j := s.small(3); j > 0; j-- {
			e.Init = append(e.Init, s.expr())
		}
		m.Elems = append(m.Elems, e)
	}
	for i := s.small(2); i > 0; i-- {
		m.Datas = append(m.Datas, wasm.DataSegment{Mode: wasm.SegmentMode(s.small(3)), Memory: s.small(2), Offset: s.expr()})
	}
	if s.next()&3 == 0 {
		n := s.small(4)
		m.DataCount = &n
		m.Binary = []byte{0}
	}
	for i := s.small(3); i > 0; i-- {
		f := wasm.Func{TypeIndex: s.small(6), Locals: s.vals()}
		for j := s.small(40); j > 0; j-- {
			f.Body = append(f.Body, s.instr())
		}
		if s.next()&7 != 0 {
			f.Body = append(f.Body, end())
		}
		m.Funcs = append(m.Funcs, f)
	}
	for i := s.small(3); i > 0; i-- {
		m.Exports = append(m.Exports, wasm.Export{Name: string(rune('a' + s.small(2))), Kind: wasm.ExternKind(s.small(6)), Index: s.small(4)})
	}
	if s.next()&3 == 0 {
		st := s.small(4)
		m.Start = &st
	}
	return m
}

// checkNoPanic validates a fuzz module and checks the error's form.
func checkNoPanic(t *testing.T, b []byte) {
	m := fuzzModule(b)
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic on %x: %v", b, r)
		}
	}()
	_, err := Analyze(m, Options{})
	if err != nil {
		e, ok := err.(*wasm.Error)
		if !ok || (e.Phase != wasm.Invalid && e.Phase != wasm.Malformed) || e.Msg == "" {
			t.Fatalf("bad error %T %v", err, err)
		}
	}
}

// TestRobustRandom feeds thousands of arbitrary modules to the validator:
// it must answer each with nil or a proper *wasm.Error, never panic.
func TestRobustRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	n := 3000
	if testing.Short() {
		n = 300
	}
	valid := 0
	for i := 0; i < n; i++ {
		b := make([]byte, 64+rng.Intn(400))
		rng.Read(b)
		checkNoPanic(t, b)
		if Module(fuzzModule(b)) == nil {
			valid++
		}
	}
	t.Logf("%d of %d random modules happened to be valid", valid, n)
}

func FuzzValidate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200, 100, 50})
	f.Fuzz(func(t *testing.T, b []byte) { checkNoPanic(t, b) })
}
