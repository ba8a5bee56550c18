package wasi_test

import (
	"math/rand/v2"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestRandomArguments calls every function (but proc_exit, and
// poll_oneoff, which may sleep for a random time) with random arguments
// and random memory: each must return an errno, never panic or fail.
func TestRandomArguments(t *testing.T) {
	p := loadFS(t)
	rng := rand.New(rand.NewPCG(1, 2))
	inst := p.w.Instance
	arg := func(ty wasm.ValType) runtime.Value {
		var v uint64
		switch rng.IntN(4) {
		case 0:
			v = uint64(rng.IntN(8)) // small: fds, flags, whence
		case 1:
			v = uint64(rng.IntN(0x10010)) // near or past the end of memory
		case 2:
			v = rng.Uint64()
		case 3:
			v = 0x1000 // the path written below
		}
		if ty == wasm.I32 {
			return runtime.I32(int32(v))
		}
		return runtime.I64(int64(v))
	}
	for round := range 3000 {
		for i := range 256 {
			p.mem()[0x1000+i] = byte(rng.IntN(256))
		}
		copy(p.mem()[0x1000:], []string{"f.txt", "sub", "../x", "."}[round%4])
		name := inst.ExportNames()[round%len(inst.ExportNames())]
		if name == "proc_exit" || name == "poll_oneoff" {
			continue
		}
		f := inst.ExportedFunc(name)
		args := make([]runtime.Value, len(f.Type.Comp.Params))
		for i, ty := range f.Type.Comp.Params {
			args[i] = arg(ty)
		}
		res, err := f.Host(p.inst, args)
		if err != nil || len(res) != 1 || res[0].Type != wasm.I32 {
			t.Fatalf("%s%v = %v, %v", name, args, res, err)
		}
	}
}
