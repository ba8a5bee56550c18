package wast

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Load takes a script module through the whole front end and returns it
// validated. Text modules are also encoded and the bytes decoded again, so
// every module exercises the encoder and decoder; the returned module is
// the text one (its errors carry line:column and, after encoding, byte
// offsets). The error's phase (wasm.PhaseOf) says whether the module was
// malformed or invalid.
func Load(def *text.ModuleDef) (*wasm.Module, error) {
	var m *wasm.Module
	switch def.Form {
	case text.ModuleText:
		if def.Err != nil {
			return nil, asMalformed(def.Err)
		}
		m = def.Module
		if err := checkEncoding(m); err != nil {
			return nil, err
		}
	case text.ModuleQuote:
		parsed, err := text.ParseModule(def.Bytes)
		if err != nil {
			return nil, asMalformed(err)
		}
		if err := checkEncoding(parsed); err != nil {
			return nil, err
		}
		m = parsed
	case text.ModuleBinary:
		decoded, err := binary.Decode(def.Bytes)
		if err != nil {
			return nil, asMalformed(err)
		}
		m = decoded
	default:
		return nil, fmt.Errorf("module form %d cannot be loaded on its own", def.Form)
	}
	if err := validate.Module(m); err != nil {
		if wasm.PhaseOf(err) == 0 {
			return nil, &wasm.Error{Phase: wasm.Invalid, Offset: -1, Func: -1, Msg: err.Error()}
		}
		return nil, err
	}
	return m, nil
}

// checkEncoding encodes a text module and decodes the bytes: a module the
// text parser accepted must survive both, or one of them is wrong.
func checkEncoding(m *wasm.Module) error {
	b, err := binary.Encode(m)
	if err != nil {
		return fmt.Errorf("encoding the text module: %w", err)
	}
	if _, err := binary.Decode(b); err != nil {
		return fmt.Errorf("decoding the encoded text module: %w", err)
	}
	return nil
}

// asMalformed marks a reading error as malformed if it is not already a
// front-end error with a phase.
func asMalformed(err error) error {
	if wasm.PhaseOf(err) != 0 {
		return err
	}
	return &wasm.Error{Phase: wasm.Malformed, Offset: -1, Func: -1, Msg: err.Error()}
}

// messageMatches reports whether an error's message starts with the text a
// script expects, ignoring the place prefix the error adds.
func messageMatches(err error, want string) bool {
	var we *wasm.Error
	msg := err.Error()
	if errors.As(err, &we) {
		msg = we.Msg
	}
	return strings.HasPrefix(msg, want) || strings.Contains(msg, want)
}

func (r *runner) module(c *text.Command) {
	def := c.Module
	if def.Form == text.ModuleInstance {
		if r.executes() {
			r.execute(c)
			return
		}
		r.skip(c, "module instance", "needs execution")
		return
	}
	m, err := Load(def)
	if err != nil {
		r.fail(c, "module", "module does not load: %v", err)
		return
	}
	if !r.executes() {
		r.pass(c, "module")
		return
	}
	if def.Definition {
		r.outcome(c, "module definition", r.opts.Exec.Define(def.Name, m))
		return
	}
	r.outcome(c, "module", r.opts.Exec.Instantiate(def.Name, m))
}

// outcome counts a command that must simply succeed; an engine refusing
// a feature it does not support yet counts as skipped.
func (r *runner) outcome(c *text.Command, name string, err error) {
	if err != nil {
		r.failOrUnsupported(c, name, err)
		return
	}
	r.pass(c, name)
}

func (r *runner) assertMalformed(c *text.Command) {
	_, err := Load(c.Module)
	switch {
	case err == nil:
		r.fail(c, "assert_malformed", "module loaded, expected it to be malformed: %q", c.Text)
	case wasm.PhaseOf(err) != wasm.Malformed:
		r.fail(c, "assert_malformed", "module rejected as %s, expected malformed %q: %v", wasm.PhaseOf(err), c.Text, err)
	default:
		r.expectedFailure(c, "assert_malformed", err)
	}
}

func (r *runner) assertInvalid(c *text.Command) {
	_, err := Load(c.Module)
	switch {
	case err == nil:
		r.fail(c, "assert_invalid", "module validated, expected it to be invalid: %q", c.Text)
	case wasm.PhaseOf(err) != wasm.Invalid:
		r.fail(c, "assert_invalid", "module rejected as %s, expected invalid %q: %v", wasm.PhaseOf(err), c.Text, err)
	default:
		r.expectedFailure(c, "assert_invalid", err)
	}
}

// assertCustom handles assert_malformed_custom and assert_invalid_custom:
// a custom section or annotation is wrong, but the module itself is not.
// An engine may ignore custom sections, so a module that loads is skipped
// (the custom content is not checked), as is one that is invalid for a
// reason of its own, while one rejected as malformed passes.
func (r *runner) assertCustom(c *text.Command) {
	name := CommandName(c.Kind)
	_, err := Load(c.Module)
	switch {
	case err == nil:
		r.skipCheck(c, name, "gcscope does not check this custom content: "+c.Text)
	case c.Kind == text.CmdAssertMalformedCustom && wasm.PhaseOf(err) != wasm.Malformed:
		// The module is invalid for reasons of its own that the script
		// does not test; the custom content it does test went unchecked.
		r.skipCheck(c, name, fmt.Sprintf("gcscope does not check this custom content (%s); the module is invalid anyway: %v", c.Text, err))
	default:
		r.expectedFailure(c, name, err)
	}
}

func (r *runner) expectedFailure(c *text.Command, name string, err error) {
	check := Check{Pos: c.Pos, Command: name, Outcome: Passed}
	if !messageMatches(err, c.Text) {
		check.MessageDiffers, check.Want, check.Got = true, c.Text, err.Error()
	}
	r.res.add(check)
}

// assertModuleFails handles assert_unlinkable, assert_uninstantiable and
// assert_trap on a module: the module must be valid, and linking or
// instantiating it must fail.
func (r *runner) assertModuleFails(c *text.Command) {
	name := CommandName(c.Kind)
	m, err := Load(c.Module)
	if err != nil {
		r.fail(c, name, "module does not load: %v", err)
		return
	}
	if !r.executes() {
		r.skip(c, name, "needs execution")
		return
	}
	r.expectInstantiateFailure(c, name, m)
}
