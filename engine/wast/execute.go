package wast

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
)

// execute runs a command that needs an engine, or counts it as skipped.
func (r *runner) execute(c *text.Command) {
	name := CommandName(c.Kind)
	if !r.executes() {
		r.skip(c, name, "needs execution")
		return
	}
	switch c.Kind {
	case text.CmdModule: // (module instance $i $m)
		r.outcome(c, "module instance", r.opts.Exec.InstantiateDefinition(c.Module.Name, c.Module.Instance))
	case text.CmdAction:
		_, err := r.act(c.Action)
		r.outcome(c, "action", err)
	case text.CmdAssertReturn:
		r.assertReturn(c)
	case text.CmdAssertTrap:
		r.assertError(c, ErrTrap)
	case text.CmdAssertExhaustion:
		r.assertError(c, ErrExhaustion)
	case text.CmdAssertException:
		r.assertError(c, ErrException)
	default:
		r.skip(c, name, "the engine does not run threads yet")
	}
}

func (r *runner) act(a *text.Action) ([]Value, error) {
	if a.Kind == text.ActGet {
		v, err := r.opts.Exec.Get(a.Module, a.Name)
		if err != nil {
			return nil, err
		}
		return []Value{v}, nil
	}
	return r.opts.Exec.Invoke(a.Module, a.Name, a.Args)
}

func (r *runner) assertReturn(c *text.Command) {
	got, err := r.act(c.Action)
	if err != nil {
		r.failOrUnsupported(c, "assert_return", err)
		return
	}
	if len(got) != len(c.Results) {
		r.fail(c, "assert_return", "%s returned %d values, expected %d", c.Action.Name, len(got), len(c.Results))
		return
	}
	for i, alts := range c.Results {
		if !matchesAny(got[i], alts) {
			r.fail(c, "assert_return", "%s result %d: got %s, expected %s", c.Action.Name, i, formatValue(got[i]), formatAlternatives(alts))
			return
		}
	}
	r.pass(c, "assert_return")
}

// failOrUnsupported counts an error from an engine that does not support
// the feature as skipped, and anything else as a failure.
func (r *runner) failOrUnsupported(c *text.Command, name string, err error) {
	var ee *EngineError
	if errors.As(err, &ee) && ee.Kind == ErrUnsupported {
		r.skip(c, name, ee.Msg)
		return
	}
	r.fail(c, name, "%v", err)
}

func (r *runner) assertError(c *text.Command, want ErrorKind) {
	name := CommandName(c.Kind)
	_, err := r.act(c.Action)
	if err == nil {
		r.fail(c, name, "%s returned normally, expected %q", c.Action.Name, c.Text)
		return
	}
	var ee *EngineError
	if !errors.As(err, &ee) || ee.Kind != want {
		r.failOrUnsupported(c, name, err)
		return
	}
	check := Check{Pos: c.Pos, Command: name, Outcome: Passed}
	if want != ErrException && !strings.HasPrefix(ee.Msg, c.Text) && !strings.Contains(ee.Msg, c.Text) {
		check.MessageDiffers, check.Want, check.Got = true, c.Text, ee.Msg
	}
	r.res.add(check)
}

// expectInstantiateFailure checks that instantiating a valid module fails
// the way assert_unlinkable, assert_uninstantiable or assert_trap expects.
func (r *runner) expectInstantiateFailure(c *text.Command, name string, m *wasm.Module) {
	err := r.opts.Exec.Instantiate("", m)
	if err == nil {
		r.fail(c, name, "module instantiated, expected %q", c.Text)
		return
	}
	var ee *EngineError
	if !errors.As(err, &ee) {
		r.fail(c, name, "%v", err)
		return
	}
	want := ErrTrap
	if c.Kind == text.CmdAssertUnlinkable {
		want = ErrLink
	}
	if ee.Kind == ErrUnsupported {
		r.skip(c, name, ee.Msg)
		return
	}
	if ee.Kind != want {
		r.fail(c, name, "instantiation failed with %v, expected %q", err, c.Text)
		return
	}
	check := Check{Pos: c.Pos, Command: name, Outcome: Passed}
	if !strings.HasPrefix(ee.Msg, c.Text) && !strings.Contains(ee.Msg, c.Text) {
		check.MessageDiffers, check.Want, check.Got = true, c.Text, ee.Msg
	}
	r.res.add(check)
}

func formatAlternatives(alts []text.Value) string {
	parts := make([]string, len(alts))
	for i, a := range alts {
		parts[i] = formatExpected(a)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(either " + strings.Join(parts, " ") + ")"
}

func formatExpected(v text.Value) string {
	switch v.Kind {
	case text.ValNum:
		return fmt.Sprintf("%s:%#x", v.Type, v.Bits)
	case text.ValV128:
		return fmt.Sprintf("v128:%x", v.Bytes)
	case text.ValNanCanonical:
		return v.Type.String() + ":nan:canonical"
	case text.ValNanArithmetic:
		return v.Type.String() + ":nan:arithmetic"
	case text.ValRefNull, text.ValRefNullAny:
		return "ref.null"
	case text.ValRefExtern:
		return fmt.Sprintf("ref.extern %d", v.Bits)
	case text.ValRefHost:
		return fmt.Sprintf("ref.host %d", v.Bits)
	case text.ValRefFunc:
		return "ref.func"
	case text.ValRefAny:
		return "ref." + v.Type.Heap.String()
	case text.ValRefI31Num:
		return fmt.Sprintf("ref.i31 %d", v.Bits)
	}
	return "?"
}

func formatValue(v Value) string {
	switch {
	case v.Type.Kind == wasm.KindV128:
		return fmt.Sprintf("v128:%x", v.V128)
	case v.Type.IsRef():
		if v.Ref.Null {
			return "ref.null"
		}
		if v.Ref.Kind == wasm.HeapExtern || v.Ref.Kind == wasm.HeapAny {
			return fmt.Sprintf("ref.%s %d", v.Ref.Kind, v.Ref.Host)
		}
		return "ref." + v.Ref.Kind.String()
	}
	return fmt.Sprintf("%s:%#x", v.Type, v.Bits)
}
