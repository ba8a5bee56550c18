package commands

import (
	"os"
	"testing"

	"github.com/gcscope/gcscope/debugger"
)

// aotScripts are the transcripts run on both tiers: the MVP ones and,
// since AOT code runs GC, the GC examples (struct and array inspection,
// i31, heap statistics and snapshots, roots, a collection while stopped,
// a trap's live frames), and the all-stop over wasi-threads (threads:
// scheduler-locking on and sideways, bt all, a collection with four
// threads stopped; thread_trap: a worker's trap stops every thread).
// scheduler_locking is left out: it prints where a worker spinning in a
// loop happened to stop, which on the interpreter is the loop's
// back-edge (its only stop test there) and in a debug build any
// instruction of the loop (every one tests the interrupt word).
var aotScripts = []string{"fib", "sieve", "divzero", "binary_trees", "linked_list", "shapes", "i31", "trap", "threads", "thread_trap"}

// TestTranscriptsAOT runs the same scripts against AOT debug builds
// (compiled on the fly, debugger.Options.AOT) and compares them with the
// interpreter's golden transcripts, byte for byte: no line of these
// scripts is tier-specific. A debug build stops where the interpreter's
// debug code does, commits every value in the interpreter's slot
// numbering (so locals, operands, set and finish read and write the same
// slots) and leaves its frames behind on a trap, so entry, breakpoints,
// conditions, step/next/until/stepi/finish, backtraces, memory and the
// post-mortem view print the same.
func TestTranscriptsAOT(t *testing.T) {
	for _, name := range aotScripts {
		t.Run(name, func(t *testing.T) {
			script, err := os.ReadFile("testdata/" + name + ".cmds")
			if err != nil {
				t.Fatal(err)
			}
			s := startScriptWith(t, script, func(o *debugger.Options) { o.AOT = true })
			defer s.Close()
			got := string(runTranscript(t, s, script))
			want, err := os.ReadFile("testdata/" + name + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("AOT transcript differs from %s.golden:\n%s", name, diff(string(want), got))
			}
		})
	}
}
