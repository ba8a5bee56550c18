package interp

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
)

// FrameShapes describes f's frame at every instruction, as Shape does one
// at a time, without compiling f for this engine: for engines that run f
// elsewhere but commit its frames in the same slot numbering (the AOT
// tier's debug builds).
func FrameShapes(f *runtime.Func) (map[uint32]*FrameShape, error) {
	if f == nil || f.Def == nil || f.Inst == nil {
		return nil, fmt.Errorf("interp: no function body to describe")
	}
	cd, err := compileAllMaps(f)
	if err != nil {
		return nil, err
	}
	out := make(map[uint32]*FrameShape, len(cd.shapes))
	for off, sh := range cd.shapes {
		out[off] = cd.frameShape(f, sh)
	}
	return out, nil
}
