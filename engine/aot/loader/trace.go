package loader

import (
	"github.com/gcscope/gcscope/engine/runtime"
)

// maxTrace bounds the backtraces the engine builds. A trap in runaway
// recursion through helpers passes every level on its way out; bounding
// the trace keeps that linear instead of quadratic in the depth.
const maxTrace = 1000

// calloutOffset is the offset of a native run's entry record, which
// names no safepoint (no real offset reaches it; bodies are far smaller):
// the run's references are in its native frames' slot areas.
const calloutOffset = ^uint32(0)

// completeTrace finishes a trap's backtrace at this activation: inner (frames
// above it, innermost first), then its frame headers bt, then the frames
// below its entry record, at most maxTrace in all.
func (a *activation) completeTrace(inner, bt []runtime.TraceFrame) []runtime.TraceFrame {
	out := append(inner, bt...)
	env := a.env
	for i := a.entryDepth - 1; i >= 0 && len(out) < maxTrace; i-- {
		fr := &env.Frames[i]
		if fr.Func == nil {
			continue
		}
		tf := runtime.TraceFrame{Func: fr.Func.Index, Name: fr.Func.Name, Offset: fr.Offset, Host: fr.Func.Host != nil}
		if fr.Func.Inst != nil {
			tf.Module = fr.Func.Inst.Name
		}
		out = append(out, tf)
	}
	if len(out) > maxTrace {
		out = out[:maxTrace]
	}
	return out
}
