package compile

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/metadata"
	"github.com/llir/llvm/ir/value"

	"github.com/gcscope/gcscope/engine/wasm"
)

// DefaultChunkInstrs is the size, in Wasm instructions, a chunk of a
// large module aims at when Options.ChunkInstrs is 0. A module below
// twice this size stays one LLVM module: opt and llc start in tens of
// milliseconds, and a split costs inlining across the cut.
const DefaultChunkInstrs = 4000

// chunks partitions the defined functions into runs of consecutive
// indices of about opts.ChunkInstrs instructions each (function bodies
// are the measure of llc's work); small modules, and Workers == 1, give
// one chunk. Consecutive indices keep neighbours, which compilers emit
// together and which often call each other, in one chunk.
func chunks(m *wasm.Module, opts Options) [][]int {
	size := opts.ChunkInstrs
	if size <= 0 {
		size = DefaultChunkInstrs
	}
	total := 0
	for i := range m.Funcs {
		total += len(m.Funcs[i].Body)
	}
	if opts.Workers == 1 || total < 2*size || len(m.Funcs) < 2 {
		all := make([]int, len(m.Funcs))
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	n := (total + size - 1) / size
	target := (total + n - 1) / n
	var out [][]int
	var cur []int
	acc := 0
	for i := range m.Funcs {
		cur = append(cur, i)
		acc += len(m.Funcs[i].Body)
		if acc >= target {
			out = append(out, cur)
			cur, acc = nil, 0
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// chunkIndex maps each defined function to the number of its chunk.
func chunkIndex(m *wasm.Module, opts Options) []int {
	out := make([]int, len(m.Funcs))
	for k, p := range chunks(m, opts) {
		for _, i := range p {
			out[i] = k
		}
	}
	return out
}

// toLinkedObject turns the generated LLVM module into one object: llc on
// the whole module when it is one chunk, else opt and llc on every
// chunk's module in parallel (Options.Workers at once, GOMAXPROCS by
// default) and the objects linked by link. Calls between chunks are
// direct calls to hidden symbols, resolved by link into text
// relocations; see docs/aot-compiler.md.
func toLinkedObject(m *wasm.Module, mod *ir.Module, opts Options) (*object, error) {
	parts := chunks(m, opts)
	// Module-level globals (none so far) would each need one defining
	// chunk; until the generator emits them, their presence means one
	// chunk.
	if len(parts) == 1 || len(mod.Globals) > 0 {
		b, err := opts.Tools.toObject([]byte(mod.String()), opts.OptLevel)
		if err != nil {
			return nil, err
		}
		o, err := parseObjectLines(b)
		if err != nil {
			return nil, err
		}
		if len(o.externs) > 0 {
			// Calls to recSymbols (recinline.go); link refuses others.
			return link([]*object{o})
		}
		return o, nil
	}
	texts, err := splitModule(mod, parts)
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	objs := make([]*object, len(texts))
	errs := make([]error, len(texts))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(texts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				b, err := opts.Tools.toObject(texts[k], opts.OptLevel)
				if err == nil {
					objs[k], err = parseObjectLines(b)
				}
				if err != nil {
					errs[k] = fmt.Errorf("chunk %d of %d: %w", k+1, len(texts), err)
				}
			}
		}()
	}
	for k := range texts {
		work <- k
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return link(objs)
}

// splitModule prints one LLVM module per chunk: the chunk's functions
// and entry wrappers, every declaration of the whole module (the
// intrinsics), and a declaration of each function of another chunk that
// the chunk calls. Functions called from another chunk lose internal
// linkage (they become hidden), so that their chunk's object exports
// them; the rest stay internal, free for opt to inline and specialize.
func splitModule(mod *ir.Module, parts [][]int) ([][]byte, error) {
	chunkOf := map[*ir.Func]int{}
	byName := map[string]*ir.Func{}
	var decls []*ir.Func
	for _, f := range mod.Funcs {
		byName[f.Name()] = f
		if len(f.Blocks) == 0 {
			decls = append(decls, f)
		}
	}
	members := make([][]*ir.Func, len(parts))
	for k, p := range parts {
		for _, i := range p {
			for _, name := range append(append([]string{funcSymbol(i), EntrySymbol(i)}, cloneNames(byName, i)...), append(append(append(specNames(byName, i), leafNames(byName, i)...), allocNames(byName, i)...), stopNames(byName, i)...)...) {
				f, ok := byName[name]
				if !ok {
					return nil, fmt.Errorf("aot: split: no function %s", name)
				}
				chunkOf[f] = k
				members[k] = append(members[k], f)
			}
		}
	}
	// callees[k] lists the functions of other chunks chunk k refers to.
	callees := make([][]*ir.Func, len(parts))
	for k, fs := range members {
		seen := map[*ir.Func]bool{}
		for _, f := range fs {
			for _, b := range f.Blocks {
				for _, inst := range b.Insts {
					u, ok := inst.(interface{ Operands() []*value.Value })
					if !ok {
						continue
					}
					for _, op := range u.Operands() {
						g, ok := (*op).(*ir.Func)
						if !ok || len(g.Blocks) == 0 || seen[g] {
							continue
						}
						if c, ok := chunkOf[g]; ok && c != k {
							seen[g] = true
							callees[k] = append(callees[k], g)
							g.Linkage = enum.LinkageNone
							g.Visibility = enum.VisibilityHidden
						} else if !ok {
							return nil, fmt.Errorf("aot: split: %s refers to %s, which is in no chunk", f.Name(), g.Name())
						}
					}
				}
			}
		}
	}
	// Metadata (the line tables, lines.go) keeps the whole module's
	// numbering, so each chunk can print just its functions' part.
	if err := mod.AssignMetadataIDs(); err != nil {
		return nil, err
	}
	out := make([][]byte, len(parts))
	for k := range parts {
		cm := ir.NewModule()
		cm.TargetTriple = mod.TargetTriple
		cm.DataLayout = mod.DataLayout
		cm.TypeDefs = mod.TypeDefs
		cm.Funcs = append(cm.Funcs, decls...)
		for _, g := range callees[k] {
			cm.Funcs = append(cm.Funcs, declaration(g))
		}
		cm.Funcs = append(cm.Funcs, members[k]...)
		cm.MetadataDefs = chunkMetadata(mod.MetadataDefs, members[k])
		cm.NamedMetadataDefs = mod.NamedMetadataDefs
		var sb strings.Builder
		if _, err := cm.WriteTo(&sb); err != nil {
			return nil, err
		}
		out[k] = []byte(sb.String())
	}
	return out, nil
}

// declaration is an external declaration of f, for a chunk calling it.
func declaration(f *ir.Func) *ir.Func {
	ps := make([]*ir.Param, len(f.Params))
	for i, p := range f.Params {
		ps[i] = ir.NewParam("", p.Typ)
	}
	d := ir.NewFunc(f.Name(), f.Sig.RetType, ps...)
	d.Visibility = enum.VisibilityHidden
	d.CallingConv = f.CallingConv
	return d
}

// chunkMetadata is the part of the module's metadata a chunk's functions
// use: everything but the other chunks' subprograms and their locations
// (lines.go makes one subprogram per function, named after it).
func chunkMetadata(defs []metadata.Definition, members []*ir.Func) []metadata.Definition {
	mine := map[string]bool{}
	for _, f := range members {
		mine[f.Name()] = true
	}
	var out []metadata.Definition
	for _, d := range defs {
		switch d := d.(type) {
		case *metadata.DISubprogram:
			if !mine[d.Name] {
				continue
			}
		case *metadata.DILocation:
			if sp, ok := d.Scope.(*metadata.DISubprogram); ok && !mine[sp.Name] {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

// parseObjectLines is parseObject with the object's line table (the
// offset map's source, linemap.go), in the object's text offsets.
func parseObjectLines(b []byte) (*object, error) {
	o, err := parseObject(b)
	if err != nil {
		return nil, err
	}
	if o.lines, err = readLineTable(b); err != nil {
		return nil, err
	}
	return o, nil
}
