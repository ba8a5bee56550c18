package validate

import (
	"github.com/gcscope/gcscope/engine/types"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Options tune validation.
type Options struct {
	// Registry canonicalizes the module's types. Pass the store's registry
	// so the ids in Info are the runtime's; nil means a private registry.
	Registry *types.Registry
}

// Info is what validation learned about a module that execution and
// compilation need.
type Info struct {
	// Registry is the registry TypeIDs index into.
	Registry *types.Registry
	// TypeIDs is the canonical id of each type index.
	TypeIDs []types.TypeID
	// Funcs describes each defined function (m.Funcs[i] is Funcs[i]).
	Funcs []FuncInfo

	mc *moduleCtx // the validated context, for Operands
}

// FuncInfo describes one function body.
type FuncInfo struct {
	// Locals are the types of the parameters followed by the declared
	// locals, in canonical form (concrete heap types are TypeIDs).
	Locals []wasm.ValType
	// MaxStack is the largest number of operands on the stack at once
	// (locals not included).
	MaxStack int
	// Blocks lists every block, loop, if, try and try_table in the order
	// they start; the function's own body is not listed.
	Blocks []BlockInfo
}

// BlockInfo is the shape of one structured instruction.
type BlockInfo struct {
	// Start is the index in Func.Body of the block instruction, Else that
	// of its else (or first legacy catch / catch_all; -1 if none) and End
	// that of the end (or delegate) that closes it.
	Start, Else, End int
	// Parts lists the indices of every else, catch and catch_all of the
	// block in order (a legacy try may have several); nil if none.
	Parts []int
	// Params and Results count the block type's values; LabelArity is the
	// number of values a branch to the block's label carries (params for
	// a loop, results otherwise).
	Params, Results, LabelArity int
}

// Module checks that m is valid.
func Module(m *wasm.Module) error {
	_, err := analyze(m, Options{}, false)
	return err
}

// ModuleWith checks that m is valid, with options.
func ModuleWith(m *wasm.Module, opts Options) error {
	_, err := analyze(m, opts, false)
	return err
}

// Analyze checks that m is valid and returns what validation learned.
func Analyze(m *wasm.Module, opts Options) (*Info, error) {
	return analyze(m, opts, true)
}

func analyze(m *wasm.Module, opts Options, keep bool) (*Info, error) {
	if m == nil {
		return nil, wasm.Errorf(wasm.Invalid, "type mismatch: no module")
	}
	reg := opts.Registry
	if reg == nil {
		reg = types.NewRegistry()
	}
	ids, err := reg.Intern(m)
	if err != nil {
		return nil, err
	}
	mc := newModuleCtx(m, reg, ids)
	info := &Info{Registry: reg, TypeIDs: ids, mc: mc}
	if keep {
		info.Funcs = make([]FuncInfo, len(m.Funcs))
	}
	if err := mc.check(info, keep); err != nil {
		return nil, err
	}
	return info, nil
}

// Operands replays the check of defined function fi (an index into
// m.Funcs) and calls visit before each instruction with the types on the
// operand stack at that point, bottom first, in canonical form: the
// stack maps the collector and the debugger need. The slice is only valid
// during the call. In unreachable code (unreachable is true) the stack is
// polymorphic: the listed types are what is known, and KindBot entries
// stand for values no execution produces.
func (info *Info) Operands(fi int, visit func(pc int, operands []wasm.ValType, unreachable bool)) error {
	if info == nil || info.mc == nil || fi < 0 || fi >= len(info.mc.m.Funcs) {
		return invalid("unknown function: defined function %d", fi)
	}
	c := newChecker(info.mc)
	c.visit = visit
	return c.function(uint32(info.mc.numImportedFuncs+fi), &info.mc.m.Funcs[fi], nil)
}

// invalid builds a validation error without a place.
func invalid(format string, args ...any) *wasm.Error {
	return wasm.Errorf(wasm.Invalid, format, args...)
}

// invalidAt builds a validation error at a text position.
func invalidAt(pos wasm.Pos, format string, args ...any) *wasm.Error {
	e := invalid(format, args...)
	e.Pos = pos
	return e
}
