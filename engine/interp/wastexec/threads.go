package wastexec

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/engine/wast"
)

// Thread returns the executor of a spec script's (thread $t (shared
// (module $m))* cmd*) block. The thread gets its own store, so its own
// exec env, GC heap and registry (spectest only, as the threads proposal's
// scripts expect: "unknown import" for a name registered outside the
// thread), with the named modules of x bound under their $names. Those
// are shared by reference: importing their shared memories is how threads
// communicate. Other exports of a shared module stay in x's store, whose
// exec env the thread must not use, so importing or invoking them is
// reported as unsupported. The caller runs the thread's commands on one
// goroutine (locked to an OS thread) and calls Close after joining it.
func (x *Executor) Thread(shared []string) (wast.Executor, error) {
	if err := x.ready(); err != nil {
		return nil, err
	}
	t := New(x.cfg)
	if err := t.Reset(); err != nil {
		return nil, err
	}
	for _, name := range shared {
		inst := x.named[name]
		if inst == nil {
			return nil, fmt.Errorf("thread shares unknown module %s", name)
		}
		t.named[name] = inst
	}
	return t, nil
}

// Close releases the executor's store. Shared memories live on while
// another store's instances use them.
func (x *Executor) Close() error {
	if x.store == nil {
		return nil
	}
	err := x.store.Close()
	x.store = nil
	return err
}

// foreign reports an instance created by another thread's store.
func (x *Executor) foreign(inst *runtime.Instance) bool {
	return inst != nil && inst.Store != x.store
}

// foreignImport returns an error when m imports anything but a memory
// from an instance of another thread's store.
func (x *Executor) foreignImport(m *wasm.Module) error {
	for _, imp := range m.Imports {
		if inst := x.store.Registered(imp.Module); x.foreign(inst) && imp.Kind != wasm.ExternMemory {
			return &wast.EngineError{Kind: wast.ErrUnsupported,
				Msg: fmt.Sprintf("import %s.%s: only memories can be shared between threads", imp.Module, imp.Name)}
		}
	}
	return nil
}

// errForeignCall is the answer to an invoke of a module shared from
// another thread.
var errForeignCall = &wast.EngineError{Kind: wast.ErrUnsupported,
	Msg: "calling a module shared from another thread is not supported"}
