package compile

import (
	"encoding/binary"
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// SectionDebugOperands is the optional section of debug builds (since
// compiler 1.12) listing the defined functions whose operands are
// stored to their slots as they are pushed (debug_operands.go): u32
// defined-function count, u32 k, then k u32 function indices in
// increasing order. In those functions the code reads no operand back
// from its slot after a stop; in the others it reads back the innermost
// block's. The debugger needs the difference to tell which operands
// its `set` can change (interp.FrameShape.SetFrom).
const SectionDebugOperands = aotfile.FirstOptionalID + 0x11

// encodeDebugOperands lays out the section for the per-function flags.
func encodeDebugOperands(homes []bool) []byte {
	var listed []uint32
	for i, h := range homes {
		if h {
			listed = append(listed, uint32(i))
		}
	}
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(homes)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(listed)))
	for _, i := range listed {
		b = binary.LittleEndian.AppendUint32(b, i)
	}
	return b
}

// DecodeDebugOperands reads a debugoperands section for n defined
// functions: whether each stores its operands as they are pushed.
func DecodeDebugOperands(b []byte, n int) ([]bool, error) {
	const name = "the debugoperands section"
	if len(b) < 8 {
		return nil, fmt.Errorf("aot: %s is truncated: %d bytes, its counts take 8", name, len(b))
	}
	if cnt := binary.LittleEndian.Uint32(b); int64(cnt) != int64(n) {
		return nil, fmt.Errorf("aot: %s lists %d functions, the file has %d", name, cnt, n)
	}
	k := uint64(binary.LittleEndian.Uint32(b[4:]))
	if rest := uint64(len(b) - 8); k*4 != rest {
		return nil, fmt.Errorf("aot: %s names %d functions in %d bytes, which hold %d", name, k, rest, rest/4)
	}
	out := make([]bool, n)
	prev := int64(-1)
	for j := uint64(0); j < k; j++ {
		i := int64(binary.LittleEndian.Uint32(b[8+4*j:]))
		if i <= prev || i >= int64(n) {
			return nil, fmt.Errorf("aot: %s: entry %d names function %d, after %d, of %d", name, j, i, prev, n)
		}
		out[i], prev = true, i
	}
	return out, nil
}
