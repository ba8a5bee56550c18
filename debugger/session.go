package debugger

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Options say what to debug.
type Options struct {
	// Path is the module file, .wat or .wasm (told apart by content).
	Path string
	// Source is the module's bytes; if nil, Path is read.
	Source []byte
	// Invoke names the exported entry function; "" means _start, else
	// main, else start.
	Invoke string
	// Args are the entry's arguments, as on the command line.
	Args []string
	// HeapMaxBytes bounds the GC heap (0: the runtime's default).
	HeapMaxBytes int64
	// GCStress collects at every allocation (runtime.Config.GCStress).
	GCStress bool
	// AOT runs a .wasm or .wat target as native code: a debug build
	// compiled on the fly (engine/aot). An .aot target (a debug build
	// from gcscope compile --debug) always runs natively.
	AOT bool
	// AOTCacheDir keeps compiled debug builds between sessions ("" for
	// none).
	AOTCacheDir string
	// SourcePath names the module an .aot target was compiled from (the
	// file has no function bodies); "" looks for FILE.wasm, then FILE.wat
	// beside FILE.aot.
	SourcePath string
}

// Session is one debugging session of one target. Its methods may be
// called from any goroutine; events arrive on Events. Inspection methods
// need the program stopped and fail with ErrRunning otherwise.
type Session struct {
	opts    Options
	module  *wasm.Module
	src     []byte // the text source, nil for a binary module
	lines   [][]byte
	code    *codeIndex
	printed *printed // the disassembly, made on first use
	printMu sync.Mutex

	events chan Event

	mu      sync.Mutex
	state   State
	store   *runtime.Store
	eng     debugEngine
	aot     *loader.Engine // the native engine of an AOT session (engine.go)
	aotPath string         // an .aot target's path
	inst    *runtime.Instance
	names   *names
	entry   *runtime.Func
	args    []runtime.Value
	bps     []*Breakpoint
	nextBP  int
	frames  []runtime.Frame // of the selected thread, outermost first
	cur     int             // selected frame, 0 = innermost
	last    *Stopped        // the last stop
	ended   bool            // stopped on a trap: the program cannot go on
	resume  chan resumeReq
	done    chan struct{} // closed when the run goroutine ends
	killReq bool

	// liveTrap is the trap onTrap stopped on (frames still active, so
	// still roots); nil for a post-mortem stop.
	liveTrap error

	// Threads (threads.go).
	wasi      *runtime.WasiThreads
	token     chan struct{} // held by the thread reporting a stop
	threads   []threadView  // every thread at the last stop, by id
	sel       *runtime.ExecEnv
	parked    map[*runtime.ExecEnv]chan struct{}
	runAll    bool             // every thread may run
	runner    *runtime.ExecEnv // else only this one
	stepEnv   *runtime.ExecEnv // the thread the step is for
	stepGen   uint64           // counts the steps set up (configure)
	locking   Locking
	pauseReq  bool
	exiting   bool          // the entry returned: threads end
	unpatch   []*Breakpoint // tbreaks hit, unpatched at the next all-stop
	latencies []time.Duration
	notes     map[*runtime.ExecEnv]string // why each thread last stopped

	// Owned by the thread stepping (set while it is stopped).
	step stepState
}

// ErrRunning is returned by inspection and control methods while the
// program runs.
var ErrRunning = errors.New("the program is running: pause it first (Ctrl-C or pause)")

// ErrExited is returned by methods that need a live program after it ended.
var ErrExited = errors.New("the program is not running: restart it with restart (alias r)")

// New loads the target and starts it: the entry function is called on a
// goroutine of the session's own and stops before its first instruction,
// reported as a Stopped event with ReasonEntry.
func New(opts Options) (*Session, error) {
	src := opts.Source
	if src == nil {
		var err error
		if src, err = os.ReadFile(opts.Path); err != nil {
			return nil, err
		}
	}
	s := &Session{opts: opts, events: make(chan Event, 256), locking: LockOff}
	var m *wasm.Module
	var err error
	started := false
	defer func() {
		if !started && s.aot != nil {
			s.aot.Close() // the compiled code of a session that never ran
		}
	}()
	var aotMod *loader.Module
	srcPath := opts.Path
	switch {
	case isAOTFile(src):
		if aotMod, err = loadAOT(opts.Path, src); err != nil {
			return nil, err
		}
		if srcPath, src, err = aotSource(opts); err != nil {
			aotMod.Close()
			return nil, err
		}
	case opts.AOT:
		s.aot = newAOTEngine(opts.AOTCacheDir)
	}
	switch {
	case bytes.HasPrefix(src, []byte("\x00asm")):
		m, err = binary.Decode(src)
	default:
		if m, err = text.ParseModule(src); err == nil {
			// Offsets come from encoding: the same ones the .wasm has.
			_, err = binary.Encode(m)
		}
		s.src = src
		s.lines = bytes.Split(src, []byte("\n"))
	}
	if err == nil {
		err = validate.Module(m)
	}
	if err == nil && aotMod != nil {
		if s.aot, err = attachAOT(opts.Path, srcPath, m, aotMod); err == nil {
			// Places name the source; AOTPath keeps the file.
			s.aotPath, s.opts.Path = opts.Path, srcPath
		}
	}
	if err != nil {
		if aotMod != nil && s.aot == nil {
			aotMod.Close()
		}
		return nil, fmt.Errorf("%s: %w", srcPath, err)
	}
	s.module = m
	s.code = newCodeIndex(m)
	if _, _, err := s.entryOf(m); err != nil {
		return nil, err
	}
	if err := s.start(); err != nil {
		return nil, err
	}
	started = true
	return s, nil
}

// Events is the session's event stream. Consumers must keep reading it
// while the program runs (the program blocks when it is full).
func (s *Session) Events() <-chan Event { return s.events }

func (s *Session) emit(e Event) { s.events <- e }

// Module returns the target module.
func (s *Session) Module() *wasm.Module { return s.module }

// Name is the target's file name.
func (s *Session) Name() string { return filepath.Base(s.opts.Path) }

// State returns the session's state.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// start instantiates the module in a new store and starts the entry on
// the run goroutine; the caller holds no lock.
func (s *Session) start() error {
	eng := s.engine()
	store, err := runtime.NewStore(runtime.Config{Engine: eng, HeapMaxBytes: s.opts.HeapMaxBytes, GCStress: s.opts.GCStress, Stdout: outputWriter{s}})
	if err != nil {
		return err
	}
	store.Heap.GC.CountInlineObjects(true) // heap statistics count every object on both tiers
	if spectest, err := store.NewSpectest(); err == nil {
		store.Register("spectest", spectest)
	}
	var wasi *runtime.WasiThreads
	if importsWasi(s.module) {
		// Only then: its host function is a heap object, which would
		// move every other program's addresses.
		if wasi, err = store.NewWasiThreads(); err != nil {
			store.Close()
			return err
		}
		store.Register("wasi", wasi.Instance)
	}
	res, err := store.StubImports(s.module, store)
	if err != nil {
		store.Close()
		return fmt.Errorf("%s: %w", s.opts.Path, err)
	}
	inst, err := store.Instantiate(s.module, res)
	if err != nil {
		store.Close()
		return fmt.Errorf("%s: %w", s.opts.Path, err)
	}
	entry, args, err := s.findEntry(inst)
	if err != nil {
		store.Close()
		return err
	}
	if err := s.prepare(eng, inst); err != nil {
		store.Close()
		return err
	}
	s.mu.Lock()
	s.store, s.eng, s.inst, s.entry, s.args = store, eng, inst, entry, args
	s.names = newNames(s.module, inst)
	s.frames, s.cur, s.ended, s.killReq, s.last, s.liveTrap = nil, 0, false, false, nil, nil
	s.resume = make(chan resumeReq)
	s.done = make(chan struct{})
	s.state = StateRunning
	env := store.Env()
	s.wasi, s.token, s.parked = wasi, make(chan struct{}, 1), map[*runtime.ExecEnv]chan struct{}{}
	s.threads, s.sel, s.runAll, s.runner, s.stepEnv = nil, env, true, env, env
	s.pauseReq, s.exiting, s.unpatch = false, false, nil
	s.notes = map[*runtime.ExecEnv]string{}
	env.OnBreak = s.onBreak
	env.OnInterrupt = s.onInterrupt
	env.OnTrap = s.onTrap
	for _, bp := range s.bps {
		s.applyLocked(bp)
	}
	s.step = stepState{mode: stepEntry}
	s.mu.Unlock()
	if entry.Def != nil {
		if _, err := eng.SetBreakpoint(entry, entry.Def.Body[0].Offset); err != nil {
			return err
		}
	}
	go s.run()
	return nil
}

// findEntry picks the entry function and parses its arguments.
func (s *Session) findEntry(inst *runtime.Instance) (*runtime.Func, []runtime.Value, error) {
	fi, args, err := s.entryOf(s.module)
	if err != nil {
		return nil, nil, err
	}
	if int(fi) >= len(inst.Funcs) {
		return nil, nil, fmt.Errorf("%s: the entry, function %d, is not in the instance", s.opts.Path, fi)
	}
	return inst.Funcs[fi], args, nil
}

// entryOf picks the entry from the module alone (the export --invoke
// names, else _start, else main, else the start function) and parses its
// arguments: New asks before instantiating, so a wrong name or argument
// list is reported before an AOT session spends seconds compiling.
func (s *Session) entryOf(m *wasm.Module) (fi uint32, args []runtime.Value, err error) {
	name, ok := s.opts.Invoke, false
	if name != "" {
		if fi, ok = m.ExportedFunc(name); !ok {
			return 0, nil, fmt.Errorf("%s: no exported function %q (exports: %v)", s.opts.Path, name, m.ExportNames())
		}
	} else {
		for _, n := range []string{"_start", "main"} {
			if fi, ok = m.ExportedFunc(n); ok {
				name = n
				break
			}
		}
		if !ok && m.Start != nil {
			fi, name, ok = *m.Start, "start function", true
		}
		if !ok {
			return 0, nil, fmt.Errorf("%s: no entry: the module exports no _start or main and has no start function (use --invoke NAME)", s.opts.Path)
		}
	}
	ti, ok := m.FuncTypeIndex(fi)
	if !ok || int(ti) >= len(m.Types) {
		return 0, nil, fmt.Errorf("%s: %s: function %d has no type", s.opts.Path, name, fi)
	}
	params := m.Types[ti].Comp.Params
	if len(s.opts.Args) != len(params) {
		return 0, nil, fmt.Errorf("%s: %s takes %d arguments %s, %d given", s.opts.Path, name, len(params), wasm.TypeString(params), len(s.opts.Args))
	}
	args = make([]runtime.Value, len(params))
	for i, a := range s.opts.Args {
		v, err := parseArg(a, params[i])
		if err != nil {
			return 0, nil, fmt.Errorf("%s: argument %d of %s: %w", s.opts.Path, i+1, name, err)
		}
		args[i] = v
	}
	return fi, args, nil
}

// run is the run goroutine: it calls the entry and reports how it ended.
func (s *Session) run() {
	defer close(s.done)
	res, err := s.entry.Call(s.args)
	// The entry returned: the other threads end (released if parked).
	s.store.Fail(runtime.ErrExited)
	s.mu.Lock()
	s.exiting = true
	s.releaseAllLocked()
	s.mu.Unlock()
	if s.wasi != nil {
		if werr := s.wasi.Exit(); err == nil {
			err = werr
		}
	}
	if errors.Is(err, errKilled) {
		s.finish(&Exited{Killed: true})
		return
	}
	if err != nil && !errors.Is(err, errKilled) {
		var trap *runtime.Trap
		var exc *runtime.Exception
		var bt []runtime.TraceFrame
		switch {
		case errors.As(err, &trap):
			bt = trap.Backtrace
		case errors.As(err, &exc):
			bt = exc.Backtrace
		}
		if bt != nil && !s.trapReported(err) {
			s.postMortem(bt, err)
			r := <-s.resume
			if r.mode == stepKill {
				s.finish(&Exited{Killed: true})
			} else {
				s.finish(&Exited{Err: err})
			}
			return
		}
	}
	s.finish(&Exited{Results: res, Err: err})
}

func (s *Session) finish(e *Exited) {
	s.mu.Lock()
	s.state = StateExited
	s.frames, s.ended = nil, false
	s.mu.Unlock()
	s.emit(e)
}

// postMortem stops on a trap with the frames the trap left behind: the
// engine pops them after the trap, but their records and slots stay in
// place, so the backtrace tells how many there were.
func (s *Session) postMortem(bt []runtime.TraceFrame, err error) {
	env := s.store.Env()
	n := len(bt)
	ok := n <= len(env.Frames)
	for i := 0; ok && i < n; i++ {
		fr := env.Frames[n-1-i]
		ok = fr.Func != nil && fr.Func.Index == bt[i].Func && fr.Offset == bt[i].Offset
	}
	s.mu.Lock()
	if ok {
		s.frames = append([]runtime.Frame(nil), env.Frames[:n]...)
	} else {
		s.frames = nil
	}
	s.cur, s.ended, s.state = 0, true, StateStopped
	s.threads = []threadView{{id: threadID(env), env: env, frames: s.frames, note: string(ReasonTrap)}}
	s.sel = env
	ev := &Stopped{Thread: threadID(env), Reason: ReasonTrap, Trap: err}
	if len(s.frames) > 0 {
		ev.Place = s.placeOf(s.frames[len(s.frames)-1])
	}
	s.last = ev
	s.mu.Unlock()
	s.emit(ev)
}

// Close kills the program and releases the store. Events still queued
// are dropped.
func (s *Session) Close() error {
	stop := make(chan struct{})
	go func() { // nobody may be reading events any more
		for {
			select {
			case <-s.events:
			case <-stop:
				return
			}
		}
	}()
	s.Kill()
	close(stop)
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if s.store != nil {
		err = s.store.Close()
		s.store = nil
	}
	if s.aot != nil {
		s.aot.Close()
		s.aot = nil
	}
	return err
}

// importsWasi says whether m imports from "wasi" (wasi-threads).
func importsWasi(m *wasm.Module) bool {
	for _, im := range m.Imports {
		if im.Module == "wasi" {
			return true
		}
	}
	return false
}
