package aotfile

// TargetInfo is the target section: what the code generator was told, in
// its own words, beyond the header's architecture. The loader may compare
// CPUFeatures with the host CPU; the dumper prints it.
type TargetInfo struct {
	Triple      string // LLVM target triple, "x86_64-unknown-linux-gnu"
	CPU         string // -mcpu, "x86-64-v2"
	CPUFeatures string // -mattr, "+sse4.2,+popcnt"
	CodeGen     string // the code generator and its options, "llc 14.0.6 -O2"
}

// DecodeTargetInfo decodes a target section payload that lies at absolute
// offset off in the file.
func DecodeTargetInfo(b []byte, off int64) (TargetInfo, error) {
	c := newCursor(b, off, SectionTarget.String())
	var t TargetInfo
	t.Triple = c.str("triple")
	t.CPU = c.str("cpu")
	t.CPUFeatures = c.str("cpu features")
	t.CodeGen = c.str("code generator")
	c.end()
	return t, c.errOrNil()
}

func encodeTargetInfo(t *TargetInfo) []byte {
	return le(nil).str(t.Triple).str(t.CPU).str(t.CPUFeatures).str(t.CodeGen)
}
