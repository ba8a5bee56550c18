package printer

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// firstDiff describes the first place two modules differ, to make a failed
// round trip easy to chase.
func firstDiff(t *testing.T, a, b *wasm.Module) string {
	t.Helper()
	if len(a.Funcs) != len(b.Funcs) {
		return fmt.Sprintf(": %d functions, read back %d", len(a.Funcs), len(b.Funcs))
	}
	for d := range a.Funcs {
		fa, fb := &a.Funcs[d], &b.Funcs[d]
		if fa.TypeIndex != fb.TypeIndex || !reflect.DeepEqual(fa.Locals, fb.Locals) {
			return fmt.Sprintf(": func %d: type or locals differ", d)
		}
		for i := range fa.Body {
			if i >= len(fb.Body) {
				return fmt.Sprintf(": func %d: body shorter after %d instructions", d, i)
			}
			x, y := fa.Body[i], fb.Body[i]
			x.Offset, y.Offset, x.Pos, y.Pos = 0, 0, wasm.Pos{}, wasm.Pos{}
			if !reflect.DeepEqual(x, y) {
				return fmt.Sprintf(": func %d instr %d: %s %+v, read back %s %+v", d, i, x.Op, x, y.Op, y)
			}
		}
	}
	for i := range a.Types {
		if i < len(b.Types) && !reflect.DeepEqual(a.Types[i].Comp, b.Types[i].Comp) {
			return fmt.Sprintf(": type %d differs", i)
		}
	}
	return ""
}

func asError(err error, target **wasm.Error) bool { return errors.As(err, target) }
