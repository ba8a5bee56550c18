package binary

import (
	"errors"
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// FuzzDecode checks that no input makes Decode panic, that every error is a
// malformed *wasm.Error with an offset inside the input, and that whatever
// decodes also encodes and decodes back to an equal module.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	if _, err := os.Stat(suiteDir); err == nil {
		_, mods := suiteBinaries(f)
		for _, b := range mods {
			f.Add(b.bytes)
		}
	}
	if _, err := os.Stat(programsDir); err == nil {
		for _, p := range programFiles(f) {
			b, err := os.ReadFile(p)
			if err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			var we *wasm.Error
			if !errors.As(err, &we) || we.Phase != wasm.Malformed {
				t.Fatalf("error %v is not a malformed *wasm.Error", err)
			}
			if we.Offset < 0 || we.Offset > int64(len(b)) {
				t.Fatalf("error offset %d outside the input (%d bytes): %v", we.Offset, len(b), err)
			}
			return
		}
		if err := checkRoundTrip(m); err != nil {
			t.Fatal(err)
		}
	})
}
