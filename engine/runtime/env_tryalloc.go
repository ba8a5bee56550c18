package runtime

// TryAllocStruct is AllocStruct when it needs no collection, no heap
// growth and no wait for the heap's lock (gc.Heap.TryAllocStructIn);
// otherwise it reports false and allocates nothing. The AOT tier's
// allocation slow path tries it before making its native frames visible
// to the collector, which only a collection needs.
func (e *ExecEnv) TryAllocStruct(d *TypeDef) (Ref, bool) {
	if e.buf == nil {
		return 0, false
	}
	return e.Store.Heap.GC.TryAllocStructIn(e.buf, uint32(d.ID))
}

// TryAllocArray is AllocArray as TryAllocStruct is AllocStruct.
func (e *ExecEnv) TryAllocArray(d *TypeDef, n uint32) (Ref, bool) {
	if e.buf == nil {
		return 0, false
	}
	return e.Store.Heap.GC.TryAllocArrayIn(e.buf, uint32(d.ID), n)
}
