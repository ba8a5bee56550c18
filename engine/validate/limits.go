package validate

import "github.com/gcscope/gcscope/engine/wasm"

// Size bounds from the spec: 65536 pages of 64 KiB address 4 GiB; memory64
// allows 2^48 pages (2^64 bytes); a 32-bit table has at most 2^32-1 slots.
const (
	maxPages32   = 1 << 16
	maxPages64   = 1 << 48
	maxTableSize = 1<<32 - 1
)

func checkMemoryType(mt wasm.MemoryType) error {
	l := mt.Limits
	if mt.Addr64 {
		if l.Min > maxPages64 || (l.HasMax && l.Max > maxPages64) {
			return invalid("memory size must be at most 2^48 pages")
		}
	} else if l.Min > maxPages32 || (l.HasMax && l.Max > maxPages32) {
		return invalid("memory size must be at most 65536 pages (4GiB)")
	}
	if l.HasMax && l.Min > l.Max {
		return invalid("size minimum must not be greater than maximum")
	}
	if mt.Shared && !l.HasMax {
		return invalid("shared memory must have maximum")
	}
	return nil
}

func checkTableLimits(tt wasm.TableType) error {
	l := tt.Limits
	if !tt.Addr64 && (l.Min > maxTableSize || (l.HasMax && l.Max > maxTableSize)) {
		return invalid("table size must be at most 2^32-1")
	}
	if l.HasMax && l.Min > l.Max {
		return invalid("size minimum must not be greater than maximum")
	}
	return nil
}
