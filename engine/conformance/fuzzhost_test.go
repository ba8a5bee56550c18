package conformance

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// This file emulates the host binaryen's fuzzer gives its modules
// (LoggingExternalInterface and FuzzerImportResolver in binaryen 132's
// src/tools/execution-results.h): the fuzzing-support functions, the
// wasmtag and jstag tags, and synthesized __fuzz_import externref
// globals. It prints what binaryen prints.

// jsErrorPayload is the externref payload of a JS exception (binaryen's
// 0xbad), printed as "jserror".
const jsErrorPayload = 0xbad

// fuzzHost is the test host of one fuzz module's instance.
type fuzzHost struct {
	s    *runtime.Store
	m    *wasm.Module
	out  *strings.Builder
	inst *runtime.Instance // set once instantiated
	// inStart is true while the module is being instantiated (its start
	// function runs): exports are not available to JS yet.
	inStart        bool
	wasmTag, jsTag *runtime.Tag
}

func newFuzzHost(s *runtime.Store, m *wasm.Module, out *strings.Builder) (*fuzzHost, error) {
	h := &fuzzHost{s: s, m: m, out: out}
	tags := s.NewHostInstance("fuzzing-support")
	var err error
	if h.wasmTag, err = tags.DefineTag("wasmtag", []wasm.ValType{wasm.I32}); err != nil {
		return nil, err
	}
	if h.jsTag, err = tags.DefineTag("jstag", []wasm.ValType{wasm.ExternRef}); err != nil {
		return nil, err
	}
	return h, nil
}

// resolver builds the module's imports: one host function per imported
// function (handed out in import order), the two tags, and the globals.
func (h *fuzzHost) resolver() (runtime.Resolver, error) {
	r := &queueResolver{externs: map[[2]string][]runtime.Extern{}}
	host := h.s.NewHostInstance("fuzzing-support")
	globals := h.s.NewHostInstance("__fuzz_import")
	for i := range h.m.Imports {
		imp := &h.m.Imports[i]
		var e runtime.Extern
		switch {
		case imp.Module == "fuzzing-support" && imp.Kind == wasm.ExternFunc:
			ft := h.m.Types[imp.TypeIndex].Comp
			fn, err := h.function(imp.Name, ft)
			if err != nil {
				return nil, err
			}
			f, err := host.DefineFunc(imp.Name, ft, fn)
			if err != nil {
				return nil, err
			}
			e = f
		case imp.Module == "fuzzing-support" && imp.Kind == wasm.ExternTag && imp.Name == "wasmtag":
			e = h.wasmTag
		case imp.Module == "fuzzing-support" && imp.Kind == wasm.ExternTag && imp.Name == "jstag":
			e = h.jsTag
		case imp.Kind == wasm.ExternGlobal && !imp.Global.Mutable && imp.Global.Val.IsRef() && imp.Global.Val.Heap == wasm.HeapExtern:
			// FuzzerImportResolver synthesizes immutable externref
			// globals whose payload depends only on the import's names.
			v, err := h.s.HostRef(uint64(globalPayload(imp.Module, imp.Name)))
			if err != nil {
				return nil, err
			}
			e = globals.DefineGlobal(imp.Name, imp.Global, v)
		default:
			return nil, fmt.Errorf("fuzz host: no import %s.%s (%v)", imp.Module, imp.Name, imp.Kind)
		}
		key := [2]string{imp.Module, imp.Name}
		r.externs[key] = append(r.externs[key], e)
	}
	return r, nil
}

// globalPayload is the payload binaryen (and fuzz_shell.js) give an
// imported externref global: the sum of the names' bytes modulo 251.
func globalPayload(module, name string) uint32 {
	var p uint32
	for _, c := range []byte(module + name) {
		p = (p + uint32(c)) % 251
	}
	return p
}

// queueResolver hands out the externs of a name in import order.
type queueResolver struct {
	externs map[[2]string][]runtime.Extern
}

func (r *queueResolver) Resolve(module, name string) (runtime.Extern, bool) {
	key := [2]string{module, name}
	es := r.externs[key]
	if len(es) == 0 {
		return nil, false
	}
	r.externs[key] = es[1:]
	return es[0], true
}

// function implements fuzzing-support.name.
func (h *fuzzHost) function(name string, ft wasm.CompositeType) (runtime.HostFunc, error) {
	none := func() ([]runtime.Value, error) { return nil, nil }
	i32 := func(v int32) ([]runtime.Value, error) { return []runtime.Value{runtime.I32(v)}, nil }
	switch {
	case strings.HasPrefix(name, "log"):
		return func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
			h.log(name, args)
			if name == "log-branch" {
				return args[:1], nil
			}
			return none()
		}, nil
	case name == "throw":
		return func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
			if int32(args[0].Bits) == 0 {
				return nil, h.throwJS()
			}
			return nil, h.throw(h.wasmTag, args[0])
		}, nil
	case name == "table-get":
		return func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
			tb, i, err := h.tableSlot(args[0])
			if err != nil {
				return nil, err
			}
			return []runtime.Value{{Type: ft.Results[0], Bits: uint64(tb.Elems[i])}}, nil
		}, nil
	case name == "table-set":
		return func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
			tb, i, err := h.tableSlot(args[0])
			if err != nil {
				return nil, err
			}
			tb.Elems[i] = runtime.Ref(args[1].Bits)
			return none()
		}, nil
	case name == "call-export" || name == "call-ref":
		return func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
			// The second argument asks JS to catch and rethrow, which
			// binaryen's interpreter cannot observe either.
			return nil, h.callAsJS(name, args[0])
		}, nil
	case name == "call-export-catch" || name == "call-ref-catch":
		return func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
			err := h.callAsJS(name, args[0])
			var exc *runtime.Exception
			if errors.As(err, &exc) {
				return i32(1)
			}
			if err != nil {
				return nil, err // traps are not caught
			}
			return i32(0)
		}, nil
	case name == "sleep":
		return func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
			return args[1:2], nil // no sleeping: return the id
		}, nil
	}
	return nil, fmt.Errorf("fuzz host: unknown fuzzing-support.%s", name)
}

// log prints a logging call: i64 arguments as their low and high i32
// halves (as JS legalization would pass them), others as printValue.
func (h *fuzzHost) log(name string, args []runtime.Value) {
	word := "logging"
	if name == "log-branch" {
		word = "log-branch"
	}
	h.out.WriteString("[LoggingExternalInterface " + word)
	for _, a := range args {
		if a.Type.Kind == wasm.KindI64 {
			fmt.Fprintf(h.out, " %d %d", int32(a.Bits), int32(a.Bits>>32))
			continue
		}
		h.out.WriteString(" " + h.value(a))
	}
	h.out.WriteString("]\n")
}

// value prints a value as binaryen's printValue: numbers in full,
// references only as what JS could tell of them (null, i31ref(n),
// externref(n), jserror, function, object(null)).
func (h *fuzzHost) value(v runtime.Value) string {
	switch v.Type.Kind {
	case wasm.KindI32:
		return strconv.Itoa(int(int32(v.Bits)))
	case wasm.KindI64:
		return strconv.FormatInt(int64(v.Bits), 10)
	case wasm.KindF32:
		return binaryenF32(uint32(v.Bits))
	case wasm.KindF64:
		return binaryenF64(v.Bits)
	case wasm.KindV128:
		// Binaryen prints a v128 as four little-endian i32 lanes.
		return fmt.Sprintf("i32x4 0x%08x 0x%08x 0x%08x 0x%08x", uint32(v.Bits), uint32(v.Bits>>32), uint32(v.Hi), uint32(v.Hi>>32))
	case wasm.KindRef:
		info := h.s.Describe(v)
		switch info.Kind {
		case runtime.RefNull:
			return "null"
		case runtime.RefI31:
			return fmt.Sprintf("i31ref(%d)", info.I31)
		case runtime.RefHost:
			if info.Host == jsErrorPayload {
				return "jserror"
			}
			return fmt.Sprintf("externref(%d)", info.Host)
		case runtime.RefFunc:
			return "function"
		case runtime.RefStruct, runtime.RefArray, runtime.RefExn:
			return "object(null)" // no custom descriptors: no prototype
		}
		return fmt.Sprintf("<dangling reference 0x%x>", v.Bits)
	}
	return "<" + v.String() + ">"
}

// throw raises a Wasm exception of tag with payload from the host.
func (h *fuzzHost) throw(tag *runtime.Tag, payload runtime.Value) error {
	r, err := h.s.Heap.AllocExn(tag)
	if err != nil {
		return err
	}
	h.s.Heap.SetField(r, 0, payload.Bits)
	return &runtime.Exception{Tag: tag, Payload: []runtime.Value{payload}, Ref: r}
}

// throwJS raises a JS exception: jstag with the jserror externref.
func (h *fuzzHost) throwJS() error {
	v, err := h.s.HostRef(jsErrorPayload)
	if err != nil {
		return err
	}
	return h.throw(h.jsTag, v)
}

// tableSlot finds the element of the table exported as "table" that a
// table-get or table-set addresses; like JS, it throws when there is no
// such table yet (or at all) or the index is out of range.
func (h *fuzzHost) tableSlot(index runtime.Value) (*runtime.Table, uint64, error) {
	if h.inStart || h.inst == nil {
		return nil, 0, h.throwJS()
	}
	tb, _ := h.inst.Export("table").(*runtime.Table)
	i := uint64(uint32(index.Bits))
	if tb == nil || i >= tb.Size() {
		return nil, 0, h.throwJS()
	}
	return tb, i, nil
}

// callAsJS calls export number arg (call-export*) or function reference
// arg (call-ref*) the way JS would: with zero arguments, throwing a JS
// exception for what JS cannot call (no such export, not a function, i64
// or non-defaultable parameters, exnref or v128 in the signature).
func (h *fuzzHost) callAsJS(name string, arg runtime.Value) error {
	var f *runtime.Func
	if strings.HasPrefix(name, "call-export") {
		if h.inStart || h.inst == nil {
			return h.throwJS()
		}
		i := uint64(uint32(arg.Bits))
		if i >= uint64(len(h.m.Exports)) || h.m.Exports[i].Kind != wasm.ExternFunc {
			return h.throwJS()
		}
		f = h.inst.Funcs[h.m.Exports[i].Index]
	} else {
		f = h.s.Describe(arg).Func
		if f == nil {
			return h.throwJS()
		}
	}
	ft := &f.Type.Comp
	for _, p := range ft.Params {
		if p.Kind == wasm.KindI64 || jsBoundaryTraps(p) || (p.IsRef() && !p.Nullable) {
			return h.throwJS()
		}
	}
	for _, r := range ft.Results {
		if jsBoundaryTraps(r) {
			return h.throwJS()
		}
	}
	_, err := f.Call(zeroArgs(f))
	return err
}

// jsBoundaryTraps reports the types JS cannot pass: v128 and references
// to exceptions.
func jsBoundaryTraps(t wasm.ValType) bool {
	return t.Kind == wasm.KindV128 || (t.IsRef() && (t.Heap == wasm.HeapExn || t.Heap == wasm.HeapNoExn))
}
