package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/tetratelabs/wazero"

	"github.com/gcscope/gcscope/engine/binary"
	_ "github.com/gcscope/gcscope/engine/interp" // gcscope's interpreter
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

// A runner calls one module's exported main, prepared once: the module
// is compiled and instantiated before the clock starts, so a benchmark
// measures execution only. Each engine gets the same binary.
type runner interface {
	// callMain runs main and returns its i32 (sign-extended) or i64
	// result.
	callMain() (int64, error)
	close()
}

// exampleBinary parses an example and encodes it to the binary format,
// which is what both engines load.
func exampleBinary(file string) ([]byte, error) {
	src, err := examples.FS.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m, err := text.ParseModule(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return binary.Encode(m)
}

// gcscopeRunner runs main on gcscope's interpreter.
type gcscopeRunner struct {
	store *runtime.Store
	main  *runtime.Func
	res   []runtime.Value // main's last results, reused
}

func newGcscope(bin []byte, cfg runtime.Config) (runner, error) {
	s, inst, err := instantiate(bin, cfg)
	if err != nil {
		return nil, err
	}
	f := inst.ExportedFunc("main")
	if f == nil {
		s.Close()
		return nil, fmt.Errorf("no exported main")
	}
	return &gcscopeRunner{store: s, main: f}, nil
}

// instantiate decodes, validates and instantiates bin in a new store
// with cfg; the caller closes the store.
func instantiate(bin []byte, cfg runtime.Config) (*runtime.Store, *runtime.Instance, error) {
	m, err := binary.Decode(bin)
	if err != nil {
		return nil, nil, err
	}
	if err := validate.Module(m); err != nil {
		return nil, nil, err
	}
	s, err := runtime.NewStore(cfg)
	if err != nil {
		return nil, nil, err
	}
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, inst, nil
}

func (r *gcscopeRunner) callMain() (int64, error) {
	// The result slice is reused: a call costs what the engine does.
	res, err := r.main.CallAppend(r.res[:0], nil)
	if err != nil {
		return 0, err
	}
	r.res = res
	if len(res) != 1 {
		return 0, fmt.Errorf("main returned %d values", len(res))
	}
	if res[0].Type.Kind == wasm.KindI32 {
		return int64(int32(res[0].Bits)), nil
	}
	return int64(res[0].Bits), nil
}

func (r *gcscopeRunner) close() { r.store.Close() }

// wazeroRunner runs main on wazero's interpreter (the reference engine;
// it has no GC, so it runs the MVP kernels only).
type wazeroRunner struct {
	ctx  context.Context
	rt   wazero.Runtime
	main interface {
		Call(context.Context, ...uint64) ([]uint64, error)
	}
	i32 bool
}

func newWazero(bin []byte) (runner, error) {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	mod, err := rt.Instantiate(ctx, bin)
	if err != nil {
		rt.Close(ctx)
		return nil, err
	}
	f := mod.ExportedFunction("main")
	if f == nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("no exported main")
	}
	rs := f.Definition().ResultTypes()
	return &wazeroRunner{ctx: ctx, rt: rt, main: f, i32: len(rs) == 1 && rs[0] == 0x7f}, nil
}

func (r *wazeroRunner) callMain() (int64, error) {
	res, err := r.main.Call(r.ctx)
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, fmt.Errorf("main returned %d values", len(res))
	}
	if r.i32 {
		return int64(int32(res[0])), nil
	}
	return int64(res[0]), nil
}

func (r *wazeroRunner) close() { r.rt.Close(r.ctx) }

// engines are the engines a kernel runs on, by sub-benchmark name.
var engines = []struct {
	name string
	new  func(bin []byte) (runner, error)
}{
	{"gcscope-interp", func(bin []byte) (runner, error) { return newGcscope(bin, runtime.Config{}) }},
	{"wazero-interp", newWazero},
}

// benchMain benchmarks main of an example on a runner, checking every
// result against the example's documented (V8) result.
func benchMain(b *testing.B, file string, newRunner func([]byte) (runner, error)) {
	r, want := readyRunner(b, file, newRunner)
	defer r.close()
	for b.Loop() {
		checkMain(b, r, file, want)
	}
}
