package validate

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// bot is the unknown operand type the polymorphic stack yields after
// unreachable code; it matches every type.
var bot = wasm.ValType{Kind: wasm.KindBot}

// frame is one entry of the control stack.
type frame struct {
	// op is the instruction that opened the frame (OpBlock, OpLoop, OpIf,
	// OpElse, OpTry, OpCatch, OpCatchAll, OpTryTable), or 0 for the
	// function body or constant expression itself.
	op              wasm.Opcode
	params, results []wasm.ValType
	// height is the operand stack height when the frame was entered.
	height int
	// initHeight is the length of the local initialization log then; the
	// locals set inside the frame become uninitialized again at its end.
	initHeight  int
	unreachable bool
	block       int // index in checker.blocks, or -1
}

// labelTypes are the values a branch to the frame's label carries.
func (f *frame) labelTypes() []wasm.ValType {
	if f.op == wasm.OpLoop {
		return f.params
	}
	return f.results
}

// checker runs the spec's validation algorithm over one instruction
// sequence: a function body or a constant expression. It is reused across
// sequences so its stacks are allocated once per module.
type checker struct {
	mc      *moduleCtx
	vals    []wasm.ValType
	ctrls   []frame
	locals  []wasm.ValType
	inited  []bool
	initLog []uint32
	returns []wasm.ValType

	fn int64       // function index for errors, -1 in constant expressions
	in *wasm.Instr // the instruction being checked, for errors
	pc int         // its index in the sequence

	maxStack   int
	keepBlocks bool
	blocks     []BlockInfo

	// In a constant expression only constant instructions are allowed and
	// global.get sees the first constGlobals globals.
	constMode    bool
	constGlobals int

	// visit, if set, sees the operand stack before each instruction.
	visit func(pc int, operands []wasm.ValType, unreachable bool)
}

func newChecker(mc *moduleCtx) *checker {
	return &checker{mc: mc, fn: -1}
}

// errf builds an error at the current instruction.
func (c *checker) errf(format string, args ...any) *wasm.Error {
	return c.at(invalid(format, args...))
}

// at places an error from the module context at the current instruction.
func (c *checker) at(err error) *wasm.Error {
	e, ok := err.(*wasm.Error)
	if !ok {
		e = invalid("%s", err.Error())
	}
	if e.Func < 0 {
		e.Func = c.fn
	}
	if c.in != nil {
		if e.Offset < 0 && c.in.Offset != 0 {
			e.Offset = int64(c.in.Offset)
		}
		if !e.Pos.IsValid() {
			e.Pos = c.in.Pos
		}
	}
	return e
}

func (c *checker) reset() {
	c.vals = c.vals[:0]
	c.ctrls = c.ctrls[:0]
	c.initLog = c.initLog[:0]
	c.maxStack = 0
	c.blocks = nil
	c.in = nil
	c.pc = 0
}

func (c *checker) push(t wasm.ValType) {
	c.vals = append(c.vals, t)
	if len(c.vals) > c.maxStack {
		c.maxStack = len(c.vals)
	}
}

func (c *checker) pushAll(ts []wasm.ValType) {
	for _, t := range ts {
		c.push(t)
	}
}

func (c *checker) top() *frame { return &c.ctrls[len(c.ctrls)-1] }

// pop pops any one operand.
func (c *checker) pop() (wasm.ValType, error) {
	f := c.top()
	if len(c.vals) == f.height {
		if f.unreachable {
			return bot, nil
		}
		return bot, c.errf("type mismatch: instruction requires [any] but stack has []")
	}
	t := c.vals[len(c.vals)-1]
	c.vals = c.vals[:len(c.vals)-1]
	return t, nil
}

// popExpect pops one operand that must match want and returns it.
func (c *checker) popExpect(want wasm.ValType) (wasm.ValType, error) {
	f := c.top()
	if len(c.vals) == f.height {
		if f.unreachable {
			return bot, nil
		}
		return bot, c.errf("type mismatch: instruction requires [%s] but stack has []", want)
	}
	t := c.vals[len(c.vals)-1]
	if !c.mc.sub(t, want) {
		return bot, c.errf("type mismatch: instruction requires [%s] but stack has [%s]", want, t)
	}
	c.vals = c.vals[:len(c.vals)-1]
	return t, nil
}

// popVals pops operands matching want (the last one on top). what names
// the consumer in the error message ("instruction", "block").
func (c *checker) popVals(want []wasm.ValType, what string) error {
	f := c.top()
	n := len(want)
	avail := len(c.vals) - f.height
	for i := 0; i < n; i++ {
		w := want[n-1-i]
		if i >= avail {
			if f.unreachable {
				continue
			}
			return c.mismatch(want, what)
		}
		if !c.mc.sub(c.vals[len(c.vals)-1-i], w) {
			return c.mismatch(want, what)
		}
	}
	c.vals = c.vals[:len(c.vals)-min(n, avail)]
	return nil
}

func (c *checker) mismatch(want []wasm.ValType, what string) *wasm.Error {
	f := c.top()
	from := max(f.height, len(c.vals)-len(want))
	return c.errf("type mismatch: %s requires %s but stack has %s", what, wasm.TypeString(want), wasm.TypeString(c.vals[from:]))
}

// popKeep pops operands matching want and returns the actual types popped
// (bot for values the polymorphic stack made up), for br_table.
func (c *checker) popKeep(want []wasm.ValType) ([]wasm.ValType, error) {
	f := c.top()
	avail := len(c.vals) - f.height
	got := make([]wasm.ValType, len(want))
	for i := range got {
		got[i] = bot
	}
	k := min(len(want), avail)
	copy(got[len(want)-k:], c.vals[len(c.vals)-k:])
	if err := c.popVals(want, "instruction"); err != nil {
		return nil, err
	}
	return got, nil
}

// popRef pops a reference (or the unknown type, returned as a non-null
// bottom reference so instructions can derive their result from it).
func (c *checker) popRef() (wasm.ValType, error) {
	t, err := c.pop()
	if err != nil {
		return t, err
	}
	switch t.Kind {
	case wasm.KindBot:
		return wasm.RefType(false, wasm.HeapBot), nil
	case wasm.KindRef:
		return t, nil
	}
	return t, c.errf("type mismatch: instruction requires a reference but stack has [%s]", t)
}

// setUnreachable makes the rest of the frame stack-polymorphic.
func (c *checker) setUnreachable() {
	f := c.top()
	c.vals = c.vals[:f.height]
	f.unreachable = true
}

// pushCtrl opens a frame and pushes its parameters.
func (c *checker) pushCtrl(op wasm.Opcode, params, results []wasm.ValType) {
	f := frame{op: op, params: params, results: results, height: len(c.vals),
		initHeight: len(c.initLog), block: -1}
	if c.keepBlocks && op != 0 {
		f.block = len(c.blocks)
		c.blocks = append(c.blocks, BlockInfo{Start: c.pc, Else: -1, End: -1,
			Params: len(params), Results: len(results)})
		if op == wasm.OpLoop {
			c.blocks[f.block].LabelArity = len(params)
		} else {
			c.blocks[f.block].LabelArity = len(results)
		}
	}
	c.ctrls = append(c.ctrls, f)
	c.pushAll(params)
}

// popCtrl checks that the frame's results are exactly what is left on its
// stack, undoes the local initializations made inside it, and removes it.
func (c *checker) popCtrl() (frame, error) {
	f := c.top()
	// The spec's wording: missing or wrong results are what the end
	// "instruction requires"; values left over are what the "block" did
	// not expect.
	if err := c.popVals(f.results, "instruction"); err != nil {
		return *f, err
	}
	if len(c.vals) != f.height {
		return *f, c.errf("type mismatch: block requires %s but stack has %s",
			wasm.TypeString(f.results), wasm.TypeString(append(c.vals[f.height:len(c.vals):len(c.vals)], f.results...)))
	}
	for _, x := range c.initLog[f.initHeight:] {
		c.inited[x] = false
	}
	c.initLog = c.initLog[:f.initHeight]
	out := *f
	c.ctrls = c.ctrls[:len(c.ctrls)-1]
	return out, nil
}

// label returns the frame label l refers to.
func (c *checker) label(l uint32) (*frame, error) {
	if int64(l) >= int64(len(c.ctrls)) {
		return nil, c.errf("unknown label %d", l)
	}
	return &c.ctrls[len(c.ctrls)-1-int(l)], nil
}

// initLocal marks local x as set, remembering it so the enclosing block's
// end can forget it again.
func (c *checker) initLocal(x uint32) {
	if !c.inited[x] {
		c.inited[x] = true
		c.initLog = append(c.initLog, x)
	}
}
