package bench

import (
	"errors"
	"fmt"
	goruntime "runtime"
	"time"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

// repeatExport names the function repeatBinary adds: repeat_main(n) calls
// main n times and returns the wrapping sum of its results.
//
// Why: a small program's main (shapes, i31_mix: tens of ns) costs less
// than the host's call into it, and the hosts differ. V8's JS calls into
// Wasm are compiled by TurboFan and can inline the Wasm body into the JS
// loop; gcscope's host is Go, entering native code through cgo. Timing one
// host call per main measures that boundary as much as the engines' code.
// Driving main from a loop in the module itself puts both engines on the
// same terms: the same Wasm bytes, one host call per batch, and the time
// is the compiled code's (allocation and GC included).
const repeatExport = "repeat_main"

// repeatBinary encodes the example file with repeatExport added, and
// says whether main returns i32 (else i64). main must take no parameters
// and return one i32 or i64.
func repeatBinary(file string) (bin []byte, i32 bool, err error) {
	src, err := examples.FS.ReadFile(file)
	if err != nil {
		return nil, false, err
	}
	m, err := text.ParseModule(src)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", file, err)
	}
	if i32, err = addRepeatExport(m); err != nil {
		return nil, false, fmt.Errorf("%s: %w", file, err)
	}
	if err := validate.Module(m); err != nil {
		return nil, false, fmt.Errorf("%s with %s: %w", file, repeatExport, err)
	}
	bin, err = binary.Encode(m)
	return bin, i32, err
}

// addRepeatExport appends repeat_main to m:
//
//	(func (export "repeat_main") (param $n i32) (result T) (local $sum T)
//	  (block (loop
//	    (br_if 1 (i32.eqz (local.get $n)))
//	    (local.set $sum (T.add (local.get $sum) (call $main)))
//	    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
//	    (br 0)))
//	  (local.get $sum))
//
// It says whether T is i32 (else i64).
func addRepeatExport(m *wasm.Module) (i32 bool, err error) {
	mainIdx, ok := exportedFunc(m, "main")
	if !ok {
		return false, errors.New("no exported function main")
	}
	ti, _ := m.FuncTypeIndex(mainIdx)
	ft := m.Types[ti].Comp
	if len(ft.Params) != 0 || len(ft.Results) != 1 {
		return false, fmt.Errorf("main has type %s -> %s, want [] -> [i32 or i64]",
			wasm.TypeString(ft.Params), wasm.TypeString(ft.Results))
	}
	res := ft.Results[0]
	var add wasm.Opcode
	switch res.Kind {
	case wasm.KindI32:
		add = wasm.OpI32Add
	case wasm.KindI64:
		add = wasm.OpI64Add
	default:
		return false, fmt.Errorf("main returns %s, want i32 or i64", res)
	}
	for _, e := range m.Exports {
		if e.Name == repeatExport {
			return false, fmt.Errorf("the module already exports %s", repeatExport)
		}
	}

	typeIdx := uint32(len(m.Types))
	m.Types = append(m.Types, wasm.SubType{Final: true, Comp: wasm.CompositeType{
		Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{res}}})
	m.RecGroups = append(m.RecGroups, wasm.RecGroup{First: typeIdx, Count: 1})

	const n, sum = 0, 1 // local indices
	body := []wasm.Instr{
		{Op: wasm.OpBlock, Block: wasm.BlockType{Kind: wasm.BlockEmpty}},
		{Op: wasm.OpLoop, Block: wasm.BlockType{Kind: wasm.BlockEmpty}},
		{Op: wasm.OpLocalGet, Index: n},
		{Op: wasm.OpI32Eqz},
		{Op: wasm.OpBrIf, Index: 1},
		{Op: wasm.OpLocalGet, Index: sum},
		{Op: wasm.OpCall, Index: mainIdx},
		{Op: add},
		{Op: wasm.OpLocalSet, Index: sum},
		{Op: wasm.OpLocalGet, Index: n},
		{Op: wasm.OpI32Const, Value: 1},
		{Op: wasm.OpI32Sub},
		{Op: wasm.OpLocalSet, Index: n},
		{Op: wasm.OpBr, Index: 0},
		{Op: wasm.OpEnd}, // loop
		{Op: wasm.OpEnd}, // block
		{Op: wasm.OpLocalGet, Index: sum},
		{Op: wasm.OpEnd}, // function
	}
	funcIdx := uint32(m.NumImported(wasm.ExternFunc) + len(m.Funcs))
	m.Funcs = append(m.Funcs, wasm.Func{TypeIndex: typeIdx, Locals: []wasm.ValType{res}, Body: body})
	m.Exports = append(m.Exports, wasm.Export{Name: repeatExport, Kind: wasm.ExternFunc, Index: funcIdx})
	return res.Kind == wasm.KindI32, nil
}

// exportedFunc returns the function index m exports as name.
func exportedFunc(m *wasm.Module, name string) (uint32, bool) {
	for _, e := range m.Exports {
		if e.Name == name && e.Kind == wasm.ExternFunc {
			return e.Index, true
		}
	}
	return 0, false
}

// repeatWant is what repeat_main(n) returns when main returns want: the
// sum wrapped to main's result width (i32 results sign-extended, as
// callMain gives them).
func repeatWant(want int64, n int, i32 bool) int64 {
	s := want * int64(n) // wraps modulo 2^64, as i64.add does
	if i32 {
		return int64(int32(s))
	}
	return s
}

// inWasmLoop times repeat_main on an in-process engine: one call from Go
// per batch, on the calling thread's CPU clock.
type inWasmLoop struct {
	store  *runtime.Store
	repeat *runtime.Func
	i32    bool
	want   int64 // main's result
	res    []runtime.Value
}

// newInWasmLoop instantiates bin (a repeatBinary whose main returns i32
// if i32, else i64) on a store with cfg.
func newInWasmLoop(bin []byte, i32 bool, cfg runtime.Config, want int64) (*inWasmLoop, error) {
	s, inst, err := instantiate(bin, cfg)
	if err != nil {
		return nil, err
	}
	f := inst.ExportedFunc(repeatExport)
	if f == nil {
		s.Close()
		return nil, fmt.Errorf("no exported %s", repeatExport)
	}
	return &inWasmLoop{store: s, repeat: f, i32: i32, want: want}, nil
}

func (l *inWasmLoop) batch(n int) (time.Duration, error) {
	if n > maxRepeat {
		return 0, fmt.Errorf("%d calls of main in one batch: %s takes an i32", n, repeatExport)
	}
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	args := []runtime.Value{runtime.I32(int32(n))}
	start := threadCPU()
	res, err := l.repeat.CallAppend(l.res[:0], args)
	d := threadCPU() - start
	if err != nil {
		return 0, err
	}
	l.res = res
	if len(res) != 1 {
		return 0, fmt.Errorf("%s returned %d values", repeatExport, len(res))
	}
	got := int64(res[0].Bits)
	if l.i32 {
		got = int64(int32(res[0].Bits))
	}
	if want := repeatWant(l.want, n, l.i32); got != want {
		return 0, fmt.Errorf("%s(%d) = %d, want %d", repeatExport, n, got, want)
	}
	return d, nil
}

func (l *inWasmLoop) close() { l.store.Close() }

// inV8Loop times repeat_main in the V8 runner: one JS call per batch.
type inV8Loop struct {
	p    *v8Proc
	name string
	want int64
	i32  bool
}

func (b inV8Loop) batch(n int) (time.Duration, error) {
	cpu, _, err := b.p.runRepeat(b.name, n, repeatWant(b.want, n, b.i32))
	return cpu, err
}

// maxRepeat caps a batch: repeat_main's count is an i32.
const maxRepeat = 1<<31 - 1
