package wast

import (
	"io"
	goruntime "runtime"

	"github.com/gcscope/gcscope/engine/text"
)

// ThreadExecutor is an Executor that can run a script's (thread ...)
// blocks. Thread returns the executor of one thread: it sees the named
// modules of the spawning executor (and the spectest module), shares
// their memories, and is used by one goroutine at a time. If it is an
// io.Closer it is closed once the thread is joined.
type ThreadExecutor interface {
	Executor
	Thread(shared []string) (Executor, error)
}

// threadRun is a started (thread $t ...) block.
type threadRun struct {
	done chan struct{}
	sub  *runner
}

// thread runs a (thread $t (shared (module $m))* cmd*) block on its own
// goroutine, locked to an OS thread, with its own executor; (wait $t)
// joins it and adds its checks. Without an engine that runs threads its
// modules are still loaded and checked, and its actions are skipped.
func (r *runner) thread(c *text.Command) {
	if !r.executes() {
		r.commands(c.Body)
		return
	}
	te, ok := r.opts.Exec.(ThreadExecutor)
	if !ok {
		r.skip(c, "thread", "the engine does not run threads")
		return
	}
	x, err := te.Thread(c.Shared)
	if err != nil {
		r.failOrUnsupported(c, "thread", err)
		return
	}
	t := &threadRun{done: make(chan struct{}),
		sub: &runner{opts: Options{Exec: x}, res: &Result{File: r.res.File}}}
	if r.threads == nil {
		r.threads = map[string]*threadRun{}
	}
	r.join(c.Name) // a second thread of the same name replaces the first
	r.threads[c.Name] = t
	go func() {
		defer close(t.done)
		goruntime.LockOSThread()
		defer goruntime.UnlockOSThread()
		defer func() {
			if p := recover(); p != nil {
				t.sub.fail(c, "thread", "panic: %v", p)
			}
		}()
		t.sub.commands(c.Body)
		t.sub.joinAll()
	}()
}

// wait is (wait $t): join the thread and count its checks here.
func (r *runner) wait(c *text.Command) {
	if !r.executes() {
		r.skip(c, "wait", "needs execution")
		return
	}
	if _, ok := r.opts.Exec.(ThreadExecutor); !ok {
		r.skip(c, "wait", "the engine does not run threads")
		return
	}
	if !r.join(c.Name) {
		r.fail(c, "wait", "no thread %s is running", c.Name)
		return
	}
	r.pass(c, "wait")
}

// join waits for the thread named name, adds its checks and closes its
// executor; false if there is no such thread.
func (r *runner) join(name string) bool {
	t := r.threads[name]
	if t == nil {
		return false
	}
	delete(r.threads, name)
	<-t.done
	for _, ch := range t.sub.res.Checks {
		r.res.add(ch)
	}
	if cl, ok := t.sub.opts.Exec.(io.Closer); ok {
		cl.Close()
	}
	return true
}

// joinAll joins the threads a script (or thread) never waited for.
func (r *runner) joinAll() {
	for name := range r.threads {
		r.join(name)
	}
}
