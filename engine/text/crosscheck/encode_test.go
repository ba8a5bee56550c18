package crosscheck

import (
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
)

// TestEncodeSuiteModules encodes every text module of the suite that
// converted, decodes the bytes again, and expects the same module: what the
// parser produces must be something the binary format carries.
func TestEncodeSuiteModules(t *testing.T) {
	encoded := 0
	for _, m := range suiteModules(t) {
		if m.def.Err != nil {
			continue
		}
		b, err := binary.Encode(m.def.Module)
		if err != nil {
			t.Errorf("%s: encode: %v", m.where, err)
			continue
		}
		back, err := binary.Decode(b)
		if err != nil {
			t.Errorf("%s: decode: %v", m.where, err)
			continue
		}
		// Re-parse rather than strip the script's module, which other
		// tests share.
		mine, err := text.ParseModule([]byte(m.src))
		if err != nil {
			t.Fatalf("%s: %v", m.where, err)
		}
		stripSource(mine)
		stripSource(back)
		if d := firstDiff(mine, back); d != "" {
			t.Errorf("%s: decodes differently: %s", m.where, d)
			continue
		}
		encoded++
	}
	t.Logf("%d modules encoded and decoded back", encoded)
}
