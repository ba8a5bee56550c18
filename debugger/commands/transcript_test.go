package commands

import (
	"bytes"
	"testing"

	"github.com/gcscope/gcscope/debugger"
)

// runTranscript runs script in batch mode on s with stable output and
// gives the transcript. The script's $TMP names a fresh directory (for
// snapshots), written back as $TMP in the transcript so that it compares
// with a golden file.
func runTranscript(t *testing.T, s *debugger.Session, script []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	c := New(s, &out)
	c.Stable = true
	snapDir := t.TempDir()
	script = bytes.ReplaceAll(script, []byte("$TMP"), []byte(snapDir))
	if err := c.Batch(bytes.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(out.Bytes(), []byte(snapDir), []byte("$TMP"))
}
