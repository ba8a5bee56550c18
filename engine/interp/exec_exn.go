package interp

import (
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// newException allocates an exception object for tag with its payload
// read from slots (they stay rooted through the stack map meanwhile).
func newException(s *runtime.Store, tag *runtime.Tag, slots []uint64) (runtime.Ref, error) {
	r, err := s.Heap.AllocExn(tag)
	if err != nil {
		return 0, err
	}
	k := 0
	for i, p := range tag.Type.Comp.Params {
		if p.Kind == wasm.KindV128 {
			s.Heap.GC.SetFieldV128(r, i, slots[k], slots[k+1])
			k += 2
			continue
		}
		s.Heap.SetField(r, i, slots[k])
		k++
	}
	return r, nil
}

// findCatch looks for the clause of cd's handlers that catches an
// exception of tag thrown at pc.
func findCatch(cd *code, pc uint32, tag *runtime.Tag) (*handler, *catchClause) {
	for h := len(cd.handlers) - 1; h >= 0; {
		hd := &cd.handlers[h]
		if pc < hd.start || pc >= hd.end {
			h--
			continue
		}
		if hd.delegate {
			if hd.delegateTo < 0 {
				return nil, nil
			}
			h = hd.delegateTo
			continue
		}
		for k := range hd.catches {
			cl := &hd.catches[k]
			if cl.tag == nil || cl.tag == tag {
				return hd, cl
			}
		}
		h--
	}
	return nil, nil
}

// unwind pops frames until one catches exn, and leaves that frame ready
// to resume at the handler. If the entry frame is passed, the exception
// leaves the loop as a *runtime.Exception.
func (e *Engine) unwind(env *runtime.ExecEnv, exn runtime.Ref) error {
	s := env.Store
	tag := s.TagOf(exn)
	var bt []runtime.TraceFrame // the frames left, for an uncaught exception
	for env.Depth > 0 {
		fr := &env.Frames[env.Depth-1]
		if cd, ok := fr.Func.Code.(*code); ok && fr.PC > 0 {
			if hd, cl := findCatch(cd, fr.PC-1, tag); cl != nil {
				l := env.Slots[fr.Base:fr.Top]
				dst := cl.dst
				if cl.kind == wasm.CatchTag || cl.kind == wasm.CatchTagRef {
					for i, p := range tag.Type.Comp.Params {
						if p.Kind == wasm.KindV128 {
							l[dst], l[dst+1] = s.Heap.GC.GetFieldV128(exn, i)
							dst += 2
							continue
						}
						l[dst] = s.Heap.Field(exn, i)
						dst++
					}
				}
				if cl.kind == wasm.CatchTagRef || cl.kind == wasm.CatchAllRef {
					l[dst] = uint64(exn)
				}
				if cl.legacy {
					l[hd.exnSlot] = uint64(exn)
				}
				fr.PC = cl.target
				env.Pending = 0
				return nil
			}
		}
		if f := fr.Func; f != nil {
			tf := runtime.TraceFrame{Func: f.Index, Name: f.Name, Offset: fr.Offset, Host: f.Host != nil}
			if f.Inst != nil {
				tf.Module = f.Inst.Name
			}
			bt = append(bt, tf)
		}
		entry := fr.Entry
		env.Depth--
		if entry {
			break
		}
	}
	env.Pending = exn
	ex := &runtime.Exception{Tag: tag, Ref: exn, Backtrace: bt}
	if tag != nil {
		for i, t := range tag.Type.Comp.Params {
			v := runtime.Value{Type: t, Bits: s.Heap.Field(exn, i)}
			if t.Kind == wasm.KindV128 {
				v.Bits, v.Hi = s.Heap.GC.GetFieldV128(exn, i)
			}
			ex.Payload = append(ex.Payload, v)
		}
	}
	return ex
}
