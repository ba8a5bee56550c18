package validate

import "github.com/gcscope/gcscope/engine/wasm"

// checkElem checks an element segment: its items are constant
// expressions of its type, and an active one fits its table.
func (mc *moduleCtx) checkElem(cc *checker, e *wasm.ElemSegment) error {
	if !e.Type.IsRef() {
		return invalid("type mismatch: element type %s is not a reference type", e.Type)
	}
	et, err := mc.valType(e.Type)
	if err != nil {
		return err
	}
	for _, item := range e.Init {
		if err := cc.constExpr(item, et, len(mc.globals)); err != nil {
			return err
		}
	}
	if e.Mode == wasm.SegmentActive {
		tt, err := mc.table(e.Table)
		if err != nil {
			return err
		}
		if err := cc.constExpr(e.Offset, tt.AddrType(), len(mc.globals)); err != nil {
			return err
		}
		if !mc.sub(et, tt.Elem) {
			return invalid("type mismatch: element segment of %s does not fit table of %s", et, tt.Elem)
		}
	}
	mc.elems = append(mc.elems, et)
	return nil
}

// checkData checks an active data segment's memory and offset.
func (mc *moduleCtx) checkData(cc *checker, d *wasm.DataSegment) error {
	if d.Mode != wasm.SegmentActive {
		return nil
	}
	mt, err := mc.memory(d.Memory)
	if err != nil {
		return err
	}
	return cc.constExpr(d.Offset, mt.AddrType(), len(mc.globals))
}
