package loader

import "testing"

// BenchmarkSmallGC calls main of the small GC examples from Go, as the
// bench report does: each call is short (shapes ~6 allocations, i31_mix
// ~9), so the fixed cost of a Go→native call is a large part of it.
func BenchmarkSmallGC(b *testing.B) {
	for _, name := range []string{"shapes", "i31_mix", "linked_list"} {
		b.Run(name, func(b *testing.B) {
			e := New(nil)
			defer e.Close()
			benchExample(b, e, name+".wat", "main")
		})
	}
}
