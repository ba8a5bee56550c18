package text

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// ParseScript parses a .wast script. Errors in the S-expression structure
// or in the script's own commands fail the whole script; a text module that
// does not convert keeps its error in its ModuleDef.Err instead.
func ParseScript(src []byte, file string) (*Script, error) {
	root, err := parseSexprs(src)
	if err != nil {
		return nil, err
	}
	s := &Script{File: file}
	if len(root.kids) > 0 && isModuleField(root.kids[0].head()) {
		// A script may be a single module written as bare fields.
		def := &ModuleDef{Form: ModuleText, Pos: root.kids[0].pos()}
		def.Module, def.Err = buildModule(root, 0, "")
		s.Commands = []Command{{Kind: CmdModule, Pos: def.Pos, Module: def}}
		return s, nil
	}
	s.Commands, err = commands(newCursor(root, 0))
	if err != nil {
		return nil, err
	}
	return s, nil
}

func commands(c *cursor) ([]Command, error) {
	var cmds []Command
	for !c.done() {
		cmd, err := command(c.next())
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, cmd)
	}
	return cmds, nil
}

// moduleAssertions are the assertions whose subject is a module.
var moduleAssertions = map[string]CommandKind{
	"assert_malformed":        CmdAssertMalformed,
	"assert_invalid":          CmdAssertInvalid,
	"assert_unlinkable":       CmdAssertUnlinkable,
	"assert_uninstantiable":   CmdAssertUninstantiable,
	"assert_malformed_custom": CmdAssertMalformedCustom,
	"assert_invalid_custom":   CmdAssertInvalidCustom,
}

func command(n *sexpr) (Command, error) {
	cmd := Command{Pos: n.pos()}
	if !n.list {
		return cmd, tokenError(n)
	}
	c := newCursor(n, 1)
	head := n.head()
	var err error
	switch head {
	case "module":
		cmd.Kind = CmdModule
		cmd.Module, err = moduleDef(n)
		return cmd, err
	case "register":
		cmd.Kind = CmdRegister
		nm := c.next()
		if !nm.isAtom(tString) {
			return cmd, unexpected(nm, c)
		}
		cmd.Name = nm.tok.text
		cmd.ModuleName, _, _ = c.optID()
	case "invoke", "get":
		cmd.Kind = CmdAction
		cmd.Action, err = action(n, c)
		return cmd, err
	case "assert_return":
		cmd.Kind = CmdAssertReturn
		if cmd.Action, err = action(c.next(), c); err != nil {
			return cmd, err
		}
		for !c.done() {
			alts, err := result(c.next())
			if err != nil {
				return cmd, err
			}
			cmd.Results = append(cmd.Results, alts)
		}
	case "assert_trap", "assert_exhaustion", "assert_exception":
		cmd.Kind = map[string]CommandKind{"assert_trap": CmdAssertTrap,
			"assert_exhaustion": CmdAssertExhaustion, "assert_exception": CmdAssertException}[head]
		subj := c.next()
		if subj.is("module") && head == "assert_trap" {
			cmd.Module, err = moduleDef(subj)
		} else {
			cmd.Action, err = action(subj, c)
		}
		if err != nil {
			return cmd, err
		}
		if head != "assert_exception" {
			if cmd.Text, err = message(c); err != nil {
				return cmd, err
			}
		}
	case "thread":
		cmd.Kind = CmdThread
		cmd.Name, _, _ = c.optID()
		for c.peek().is("shared") {
			sc := newCursor(c.next(), 1)
			m := sc.next()
			if !m.is("module") {
				return cmd, unexpected(m, sc)
			}
			mc := newCursor(m, 1)
			id, _, ok := mc.optID()
			if !ok {
				return cmd, unexpected(mc.peek(), mc)
			}
			cmd.Shared = append(cmd.Shared, id)
		}
		cmd.Body, err = commands(c)
		return cmd, err
	case "wait":
		cmd.Kind = CmdWait
		cmd.Name, _, _ = c.optID()
	default:
		kind, ok := moduleAssertions[head]
		if !ok {
			return cmd, tokenError(n)
		}
		cmd.Kind = kind
		m := c.next()
		if !m.is("module") {
			return cmd, unexpected(m, c)
		}
		if cmd.Module, err = moduleDef(m); err != nil {
			return cmd, err
		}
		if cmd.Text, err = message(c); err != nil {
			return cmd, err
		}
	}
	if !c.done() {
		return cmd, unexpected(c.peek(), c)
	}
	return cmd, nil
}

// message reads an assertion's expected message string.
func message(c *cursor) (string, error) {
	n := c.next()
	if !n.isAtom(tString) {
		return "", unexpected(n, c)
	}
	return n.tok.text, nil
}

// moduleDef reads a script module in any of its forms.
func moduleDef(n *sexpr) (*ModuleDef, error) {
	c := newCursor(n, 1)
	def := &ModuleDef{Pos: n.pos()}
	if c.peek().isKeyword("instance") {
		c.next()
		def.Form = ModuleInstance
		def.Name, _, _ = c.optID()
		def.Instance, _, _ = c.optID()
		if !c.done() {
			return nil, unexpected(c.peek(), c)
		}
		return def, nil
	}
	if c.peek().isKeyword("definition") {
		c.next()
		def.Definition = true
	}
	def.Name, _, _ = c.optID()
	switch {
	case c.peek().isKeyword("binary"), c.peek().isKeyword("quote"):
		def.Form = ModuleBinary
		if c.next().tok.text == "quote" {
			def.Form = ModuleQuote
		}
		for !c.done() {
			s := c.next()
			if !s.isAtom(tString) {
				return nil, unexpected(s, c)
			}
			// Strings are concatenated as they are, for both forms.
			def.Bytes = append(def.Bytes, s.tok.text...)
		}
	default:
		def.Form = ModuleText
		def.Module, def.Err = buildModule(n, c.i, def.Name)
	}
	return def, nil
}

// action reads (invoke $m? "name" arg*) or (get $m? "name"); from is
// the cursor it came from, for the position of a missing action.
func action(n *sexpr, from *cursor) (*Action, error) {
	if n == nil || !n.list || (n.head() != "invoke" && n.head() != "get") {
		return nil, unexpected(n, from)
	}
	c := newCursor(n, 1)
	a := &Action{Kind: ActInvoke, Pos: n.pos()}
	if n.head() == "get" {
		a.Kind = ActGet
	}
	a.Module, _, _ = c.optID()
	nm := c.next()
	if !nm.isAtom(tString) {
		return nil, unexpected(nm, c)
	}
	a.Name = nm.tok.text
	for !c.done() {
		v, err := value(c.next(), false)
		if err != nil {
			return nil, err
		}
		a.Args = append(a.Args, v)
	}
	return a, nil
}

// result reads an expected result: a value pattern or (either ...).
func result(n *sexpr) ([]Value, error) {
	if n.is("either") {
		var alts []Value
		c := newCursor(n, 1)
		for !c.done() {
			v, err := value(c.next(), true)
			if err != nil {
				return nil, err
			}
			alts = append(alts, v)
		}
		return alts, nil
	}
	v, err := value(n, true)
	if err != nil {
		return nil, err
	}
	return []Value{v}, nil
}

var constTypes = map[string]wasm.ValType{
	"i32.const": wasm.I32, "i64.const": wasm.I64, "f32.const": wasm.F32, "f64.const": wasm.F64,
}

// refPatterns are the result patterns that match any non-null reference
// of an abstract heap type.
var refPatterns = map[string]wasm.HeapType{
	"ref.struct": wasm.HeapStruct, "ref.array": wasm.HeapArray, "ref.i31": wasm.HeapI31,
	"ref.eq": wasm.HeapEq, "ref.any": wasm.HeapAny, "ref.exn": wasm.HeapExn,
	"ref.extern": wasm.HeapExtern, "ref.func": wasm.HeapFunc,
}

// value reads a script argument, or a result pattern when pattern is set.
func value(n *sexpr, pattern bool) (Value, error) {
	if !n.list {
		return Value{}, tokenError(n)
	}
	c := newCursor(n, 1)
	head := n.head()
	var v Value
	var err error
	switch {
	case constTypes[head].Kind != 0:
		t := constTypes[head]
		v = Value{Kind: ValNum, Type: t}
		a := c.next()
		if a == nil || a.list {
			return v, unexpected(a, c)
		}
		if pattern && (t == wasm.F32 || t == wasm.F64) && nanPattern(a) != 0 {
			v.Kind = nanPattern(a)
			break
		}
		v.Bits, err = scalarBits(a, t)
	case head == "v128.const":
		v, err = vectorValue(c, pattern)
	case head == "ref.null":
		if c.done() {
			v = Value{Kind: ValRefNullAny}
			break
		}
		h := c.next()
		ht, ok := wasm.AbstractHeapByName[h.tok.text]
		if h.list || h.tok.kind != tKeyword || !ok {
			// A null of a concrete type: any null of the right hierarchy.
			v = Value{Kind: ValRefNullAny}
			break
		}
		v = Value{Kind: ValRefNull, Type: wasm.RefType(true, ht)}
	case head == "ref.host" || head == "ref.extern" && !c.done() || head == "ref.i31" && !c.done():
		kind := map[string]ValueKind{"ref.host": ValRefHost, "ref.extern": ValRefExtern, "ref.i31": ValRefI31Num}[head]
		heap := map[string]wasm.HeapType{"ref.host": wasm.HeapAny, "ref.extern": wasm.HeapExtern, "ref.i31": wasm.HeapI31}[head]
		v = Value{Kind: kind, Type: wasm.RefType(false, heap)}
		a := c.next()
		if !a.isAtom(tAtom) {
			return v, unexpected(a, c)
		}
		var msg string
		if v.Bits, msg = parseInt(a.tok.text, 32); msg != "" {
			return v, wasm.MalformedPos(a.pos(), "%s", msg)
		}
	case head == "ref.func":
		v = Value{Kind: ValRefFunc, Type: wasm.RefType(false, wasm.HeapFunc)}
		c.next() // an optional function index carries no meaning in a script
	case refPatterns[head] != 0:
		v = Value{Kind: ValRefAny, Type: wasm.RefType(false, refPatterns[head])}
	default:
		return v, wasm.MalformedPos(n.pos(), "unexpected token: %s is not a script value", head)
	}
	if err != nil {
		return v, err
	}
	if !c.done() {
		return v, unexpected(c.peek(), c)
	}
	return v, nil
}

// nanPattern recognizes nan:canonical and nan:arithmetic (with no sign).
func nanPattern(a *sexpr) ValueKind {
	switch a.tok.text {
	case "nan:canonical":
		return ValNanCanonical
	case "nan:arithmetic":
		return ValNanArithmetic
	}
	return 0
}

// scalarBits parses a number literal of type t.
func scalarBits(a *sexpr, t wasm.ValType) (uint64, error) {
	var v uint64
	var msg string
	switch t {
	case wasm.I32:
		v, msg = parseInt(a.tok.text, 32)
	case wasm.I64:
		v, msg = parseInt(a.tok.text, 64)
	case wasm.F32:
		v, msg = parseFloat(a.tok.text, f32Format)
	case wasm.F64:
		v, msg = parseFloat(a.tok.text, f64Format)
	}
	if msg != "" {
		return 0, wasm.MalformedPos(a.pos(), "%s", msg)
	}
	return v, nil
}

// vectorValue reads "shape lane*" of a script v128.const, where result
// lanes of float shapes may be NaN patterns.
func vectorValue(c *cursor, pattern bool) (Value, error) {
	sn := c.next()
	if sn == nil || sn.list {
		return Value{}, unexpected(sn, c)
	}
	sh, ok := vecShapes[sn.tok.text]
	if !ok {
		return Value{}, wasm.MalformedPos(sn.pos(), "unexpected token: expected a vector shape")
	}
	v := Value{Kind: ValV128, Type: wasm.V128, Shape: sn.tok.text}
	laneType := wasm.I32
	switch {
	case sh.float && sh.width == 32:
		laneType = wasm.F32
	case sh.float:
		laneType = wasm.F64
	case sh.width == 64:
		laneType = wasm.I64
	}
	for i := 0; i < sh.lanes; i++ {
		n := c.next()
		if !isLaneToken(n) {
			return v, wasm.MalformedPos(c.pos(), "wrong number of lane literals")
		}
		if pattern && sh.float && nanPattern(n) != 0 {
			v.Lanes = append(v.Lanes, Value{Kind: nanPattern(n), Type: laneType})
			continue
		}
		bits, err := laneLiteral(n, sh)
		if err != nil {
			return v, err
		}
		putLane(&v.Bytes, sh, i, bits)
		if !sh.float && sh.width < 32 {
			bits &= 1<<sh.width - 1
		}
		v.Lanes = append(v.Lanes, Value{Kind: ValNum, Type: laneType, Bits: bits})
	}
	return v, nil
}

// isModuleField reports whether a list head starts a module field.
func isModuleField(h string) bool {
	switch h {
	case "type", "rec", "import", "func", "table", "memory", "global", "tag",
		"export", "start", "elem", "data":
		return true
	}
	return false
}
