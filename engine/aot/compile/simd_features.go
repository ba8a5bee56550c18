package compile

import (
	"github.com/gcscope/gcscope/engine/aot/aotfile"
	w "github.com/gcscope/gcscope/engine/wasm"
)

// simdFeatures says whether the code relies on SIMD (a v128 anywhere in
// a function, struct or array type, local or global, or a SIMD
// instruction) and relaxed
// SIMD (one of its instructions), for the .aot header's feature bits: a
// runtime that cannot pass v128 values in two slots must refuse the file.
func simdFeatures(m *w.Module) aotfile.Features {
	var fs aotfile.Features
	isV := func(t w.ValType) bool { return t.Kind == w.KindV128 }
	for _, t := range m.Types {
		for _, v := range append(append([]w.ValType{}, t.Comp.Params...), t.Comp.Results...) {
			if isV(v) {
				fs |= aotfile.FeatureSIMD
			}
		}
		// A v128 struct field or array element crosses the op helper in
		// two slots too (array.fill).
		for _, f := range t.Comp.Fields {
			if f.Storage.Packed == w.NotPacked && isV(f.Storage.Val) {
				fs |= aotfile.FeatureSIMD
			}
		}
	}
	for _, im := range m.Imports {
		if im.Kind == w.ExternGlobal && isV(im.Global.Val) {
			fs |= aotfile.FeatureSIMD
		}
	}
	for _, g := range m.Globals {
		if isV(g.Type.Val) {
			fs |= aotfile.FeatureSIMD
		}
	}
	for i := range m.Funcs {
		for _, l := range m.Funcs[i].Locals {
			if isV(l) {
				fs |= aotfile.FeatureSIMD
			}
		}
		for k := range m.Funcs[i].Body {
			op := m.Funcs[i].Body[k].Op
			if op>>16 == w.PrefixSIMD {
				fs |= aotfile.FeatureSIMD
				if op >= w.OpI8x16RelaxedSwizzle {
					fs |= aotfile.FeatureRelaxedSIMD
				}
			}
		}
	}
	return fs
}
