// Package wast runs WebAssembly spec test scripts (.wast files): it loads
// every module through the front end (text parser, binary encoder and
// decoder, validator), checks the malformed and invalid assertions, and
// hands the assertions that need execution to an Executor when one is given.
package wast

import (
	"fmt"
	"os"

	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Options configure a run.
type Options struct {
	// ValidateOnly runs just the module, malformed and invalid checks; the
	// commands that need execution are neither run nor counted.
	ValidateOnly bool
	// Exec runs the commands that need execution. When nil (and not
	// ValidateOnly) they are counted as skipped.
	Exec Executor
}

// Outcome is the result of one checked command.
type Outcome uint8

// Outcomes.
const (
	Passed Outcome = iota + 1
	Failed
	Skipped
)

// Check is one counted command of a script and how it went.
type Check struct {
	Pos     wasm.Pos
	Command string // "module", "assert_invalid", ...
	Outcome Outcome
	// Detail says what went wrong for a failure, or why a check was skipped.
	Detail string
	// MessageDiffers is set when an expected failure happened but its
	// message does not start with the script's expected text; this is
	// reported, not counted as a failure (engines word errors differently).
	MessageDiffers bool
	Want, Got      string
}

// Result counts the checks of one script.
type Result struct {
	File                    string
	Passed, Failed, Skipped int
	MessageDiffs            int
	Checks                  []Check
}

func (r *Result) add(c Check) {
	switch c.Outcome {
	case Passed:
		r.Passed++
	case Failed:
		r.Failed++
	case Skipped:
		r.Skipped++
	}
	if c.MessageDiffers {
		r.MessageDiffs++
	}
	r.Checks = append(r.Checks, c)
}

// RunFile reads and runs one .wast file.
func RunFile(path string, opts Options) (*Result, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return RunScript(src, path, opts)
}

// RunScript runs a script's source. An error means the script itself could
// not be read; failing checks are counted in the Result.
func RunScript(src []byte, file string, opts Options) (*Result, error) {
	script, err := text.ParseScript(src, file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	r := &runner{opts: opts, res: &Result{File: file}}
	if opts.Exec != nil && !opts.ValidateOnly {
		if err := opts.Exec.Reset(); err != nil {
			return nil, fmt.Errorf("%s: starting the engine: %w", file, err)
		}
	}
	r.commands(script.Commands)
	r.joinAll()
	return r.res, nil
}

type runner struct {
	opts    Options
	res     *Result
	threads map[string]*threadRun // started, not yet joined (threads.go)
}

func (r *runner) executes() bool { return r.opts.Exec != nil && !r.opts.ValidateOnly }

func (r *runner) commands(cmds []text.Command) {
	for i := range cmds {
		r.command(&cmds[i])
	}
}

func (r *runner) command(c *text.Command) {
	switch c.Kind {
	case text.CmdModule:
		r.module(c)
	case text.CmdRegister:
		if r.executes() {
			if err := r.opts.Exec.Register(c.Name, c.ModuleName); err != nil {
				r.failOrUnsupported(c, "register", fmt.Errorf("register %q: %w", c.Name, err))
			}
		}
	case text.CmdAssertMalformed:
		r.assertMalformed(c)
	case text.CmdAssertInvalid:
		r.assertInvalid(c)
	case text.CmdAssertMalformedCustom, text.CmdAssertInvalidCustom:
		r.assertCustom(c)
	case text.CmdAssertUnlinkable, text.CmdAssertUninstantiable:
		r.assertModuleFails(c)
	case text.CmdAssertTrap:
		if c.Module != nil {
			r.assertModuleFails(c)
			return
		}
		r.execute(c)
	case text.CmdAction, text.CmdAssertReturn, text.CmdAssertExhaustion, text.CmdAssertException:
		r.execute(c)
	case text.CmdThread:
		r.thread(c)
	case text.CmdWait:
		r.wait(c)
	}
}

func (r *runner) pass(c *text.Command, name string) {
	r.res.add(Check{Pos: c.Pos, Command: name, Outcome: Passed})
}

func (r *runner) fail(c *text.Command, name, format string, args ...any) {
	r.res.add(Check{Pos: c.Pos, Command: name, Outcome: Failed, Detail: fmt.Sprintf(format, args...)})
}

// skip counts a check that needs execution as not run (in ValidateOnly
// mode such checks are not counted at all).
func (r *runner) skip(c *text.Command, name, why string) {
	if r.opts.ValidateOnly {
		return
	}
	r.skipCheck(c, name, why)
}

// skipCheck counts a check as not run, in every mode.
func (r *runner) skipCheck(c *text.Command, name, why string) {
	r.res.add(Check{Pos: c.Pos, Command: name, Outcome: Skipped, Detail: why})
}

// CommandName is the script keyword of a command kind.
func CommandName(k text.CommandKind) string {
	switch k {
	case text.CmdModule:
		return "module"
	case text.CmdRegister:
		return "register"
	case text.CmdAction:
		return "action"
	case text.CmdAssertReturn:
		return "assert_return"
	case text.CmdAssertTrap:
		return "assert_trap"
	case text.CmdAssertExhaustion:
		return "assert_exhaustion"
	case text.CmdAssertException:
		return "assert_exception"
	case text.CmdAssertMalformed:
		return "assert_malformed"
	case text.CmdAssertInvalid:
		return "assert_invalid"
	case text.CmdAssertUnlinkable:
		return "assert_unlinkable"
	case text.CmdAssertUninstantiable:
		return "assert_uninstantiable"
	case text.CmdThread:
		return "thread"
	case text.CmdWait:
		return "wait"
	case text.CmdAssertMalformedCustom:
		return "assert_malformed_custom"
	case text.CmdAssertInvalidCustom:
		return "assert_invalid_custom"
	}
	return "command"
}

func readScript(path string) (*text.Script, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return text.ParseScript(src, path)
}
