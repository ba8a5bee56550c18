package aotfile

import (
	"crypto/sha256"
	"fmt"
	"strings"
)

// Magic is the first four bytes of every .aot file. The leading NUL keeps it
// from being mistaken for text and mirrors Wasm's "\0asm".
const Magic = "\x00gca"

// FormatVersion is the version of the file layout this package reads and
// writes. It changes whenever a reader of the previous version could
// misread a new file (docs/aot-format.md, "Versioning").
const FormatVersion = 1

// HeaderSize is the size of the fixed header; the section table may start
// right after it.
const HeaderSize = 128

// Offsets of the header fields (docs/aot-format.md lists them all).
const (
	offMagic        = 0x00
	offFormat       = 0x04
	offHeaderSize   = 0x06
	offABI          = 0x08
	offArch         = 0x0C
	offOS           = 0x0E
	offPointerSize  = 0x0F
	offEndian       = 0x10
	offOptLevel     = 0x11
	offFlags        = 0x12
	offFileSize     = 0x14
	offFeatures     = 0x18
	offSectionCount = 0x20
	offTableOffset  = 0x24
	offChecksum     = 0x28
	offReserved1    = 0x2C
	offModuleHash   = 0x30
	offCompiler     = 0x50
	offReserved2    = 0x70

	compilerLen = 32
)

// Features are the Wasm proposals the compiled code relies on. The loader
// checks them against what the runtime supports (Header.CheckFeatures).
type Features uint64

// Feature bits.
const (
	FeatureGC Features = 1 << iota
	FeatureExceptions
	FeatureThreads
	FeatureSIMD
	FeatureMemory64
	FeatureTailCalls
	FeatureMultiMemory
	FeatureRelaxedSIMD
	FeatureBulkMemory
	FeatureReferenceTypes
	FeatureExtendedConst
	FeatureMultiValue
)

var featureNames = []string{"gc", "exceptions", "threads", "simd", "memory64", "tail-calls",
	"multi-memory", "relaxed-simd", "bulk-memory", "reference-types", "extended-const", "multi-value"}

// String lists the features by name ("gc,simd"); bits this package does not
// know show as "bit N".
func (f Features) String() string {
	if f == 0 {
		return "none"
	}
	var parts []string
	for i := 0; i < 64; i++ {
		if f&(1<<i) == 0 {
			continue
		}
		if i < len(featureNames) {
			parts = append(parts, featureNames[i])
		} else {
			parts = append(parts, fmt.Sprintf("bit %d", i))
		}
	}
	return strings.Join(parts, ",")
}

// Flags describe how the code was built.
type Flags uint16

// Flag bits. Unlike features, a flag the reader does not know makes the file
// unreadable: flags change what the loader must do.
const (
	// FlagDebug: the code commits every local and operand at each safepoint
	// and tests the interrupt word at every instruction, for the debugger.
	FlagDebug Flags = 1 << iota
	// FlagGuardPages: memory accesses are not bounds-checked; the code
	// relies on the runtime reserving guard pages after linear memory.
	FlagGuardPages
	// FlagCatches: calls in the code test the pending-exception word, so
	// an exception raised during a native run is handed back to the code
	// (which may catch it) rather than unwound at once. Set when the module
	// has a handler and something can raise an exception; the loader
	// cannot tell from a file, whose module has no function bodies.
	FlagCatches

	knownFlags = FlagDebug | FlagGuardPages | FlagCatches
)

func (f Flags) String() string {
	var parts []string
	if f&FlagDebug != 0 {
		parts = append(parts, "debug")
	}
	if f&FlagGuardPages != 0 {
		parts = append(parts, "guard-pages")
	}
	if f&FlagCatches != 0 {
		parts = append(parts, "catches")
	}
	if rest := f &^ knownFlags; rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", uint16(rest)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

// MaxOptLevel is the highest optimization level (llc's -O3).
const MaxOptLevel = 3

// Header is the fixed-size start of the file.
type Header struct {
	FormatVersion uint16
	// ABIVersion is the version of the execution environment layout the
	// code was compiled against (DESIGN.md section 4).
	ABIVersion uint32
	Target     Target
	OptLevel   uint8
	Flags      Flags
	Features   Features
	// Compiler names the compiler and its version (at most 32 bytes of
	// printable ASCII); with the options it keys the compiled-file cache.
	Compiler string
	// ModuleHash is the SHA-256 of the source .wasm (see ModuleHash).
	ModuleHash [32]byte

	// The fields below describe the file's own layout: Write computes them,
	// Read reports what the file says.
	FileSize     uint32
	SectionCount uint32
	TableOffset  uint32
	Checksum     uint32 // CRC-32C, see Checksum
}

// ModuleHash returns the hash the header records for a source module.
func ModuleHash(wasmBinary []byte) [32]byte { return sha256.Sum256(wasmBinary) }

// readHeader decodes the header. It stops at a problem that makes the rest
// meaningless (not an .aot file, a different format version) and reports
// it with ok false; other problems are collected and reading goes on.
func readHeader(b []byte, errs *errList) (h Header, ok bool) {
	const sec = "header"
	if len(b) < HeaderSize {
		if n := min(len(b), 4); string(b[:n]) != Magic[:n] {
			errs.add(errorf(0, sec, "not an .aot file: magic is %q, want %q", b[:n], Magic))
			return h, false
		}
		errs.add(errorf(int64(len(b)), sec, "file is %d bytes, shorter than the %d-byte header", len(b), HeaderSize))
		return h, false
	}
	c := newCursor(b[:HeaderSize], 0, sec)
	if string(b[:4]) != Magic {
		errs.add(errorf(0, sec, "not an .aot file: magic is %q, want %q", b[:4], Magic))
		return h, false
	}
	c.pos = offFormat
	h.FormatVersion = c.u16("format version")
	switch {
	case h.FormatVersion > FormatVersion:
		errs.add(errorf(offFormat, sec, "format version %d is newer than this reader's %d: use a newer gcscope", h.FormatVersion, FormatVersion))
		return h, false
	case h.FormatVersion < FormatVersion:
		errs.add(errorf(offFormat, sec, "format version %d is older than this reader's %d: recompile the module", h.FormatVersion, FormatVersion))
		return h, false
	}
	if hs := c.u16("header size"); hs != HeaderSize {
		errs.add(errorf(offHeaderSize, sec, "header size %d, format version %d has %d", hs, FormatVersion, HeaderSize))
	}
	h.ABIVersion = c.u32("ABI version")
	h.Target.Arch = Arch(c.u16("architecture"))
	h.Target.OS = OS(c.u8("OS"))
	h.Target.PointerSize = c.u8("pointer size")
	h.Target.Endian = Endian(c.u8("endianness"))
	h.OptLevel = c.u8("optimization level")
	h.Flags = Flags(c.u16("flags"))
	h.FileSize = c.u32("file size")
	h.Features = Features(c.u64("features"))
	h.SectionCount = c.u32("section count")
	h.TableOffset = c.u32("section table offset")
	h.Checksum = c.u32("checksum")
	reserved1 := c.u32("reserved")
	copy(h.ModuleHash[:], b[offModuleHash:offModuleHash+32])
	comp := b[offCompiler : offCompiler+compilerLen]

	switch h.Target.Arch {
	case ArchX86_64, ArchAArch64:
	default:
		errs.add(errorf(offArch, sec, "unknown architecture %d", uint16(h.Target.Arch)))
	}
	if h.Target.OS == OSUnknown || h.Target.OS > OSFreeBSD {
		errs.add(errorf(offOS, sec, "unknown OS %d", uint8(h.Target.OS)))
	}
	if p := h.Target.PointerSize; p != 4 && p != 8 {
		errs.add(errorf(offPointerSize, sec, "pointer size %d, want 4 or 8", p))
	}
	if e := h.Target.Endian; e != LittleEndian && e != BigEndian {
		errs.add(errorf(offEndian, sec, "unknown endianness %d", uint8(e)))
	}
	if h.OptLevel > MaxOptLevel {
		errs.add(errorf(offOptLevel, sec, "optimization level %d, highest is %d", h.OptLevel, MaxOptLevel))
	}
	if rest := h.Flags &^ knownFlags; rest != 0 {
		errs.add(errorf(offFlags, sec, "unknown flag bits 0x%x", uint16(rest)))
	}
	if reserved1 != 0 {
		errs.add(errorf(offReserved1, sec, "reserved field is 0x%x, must be 0", reserved1))
	}
	if i := nonZero(b[offReserved2:HeaderSize]); i >= 0 {
		errs.add(errorf(int64(offReserved2+i), sec, "reserved byte is 0x%02x, must be 0", b[offReserved2+i]))
	}
	h.Compiler = compilerString(comp, errs)
	return h, true
}

// compilerString decodes the NUL-padded compiler field.
func compilerString(comp []byte, errs *errList) string {
	n := len(comp)
	for i, ch := range comp {
		if ch == 0 {
			n = i
			break
		}
	}
	if i := badChar(comp[:n]); i >= 0 {
		errs.add(errorf(int64(offCompiler+i), "header", "compiler name: byte 0x%02x is not printable ASCII", comp[i]))
		return ""
	}
	if i := nonZero(comp[n:]); i >= 0 {
		errs.add(errorf(int64(offCompiler+n+i), "header", "compiler name: byte 0x%02x after its terminating NUL", comp[n+i]))
	}
	return string(comp[:n])
}

// nonZero returns the index of the first non-zero byte of b, or -1.
func nonZero(b []byte) int {
	for i, ch := range b {
		if ch != 0 {
			return i
		}
	}
	return -1
}

// appendHeader encodes h; the checksum field is written as h.Checksum.
func appendHeader(dst []byte, h *Header) []byte {
	w := le(dst)
	w = append(w, Magic...)
	w = w.u16(h.FormatVersion).u16(HeaderSize).u32(h.ABIVersion)
	w = w.u16(uint16(h.Target.Arch)).u8(uint8(h.Target.OS)).u8(h.Target.PointerSize).u8(uint8(h.Target.Endian))
	w = w.u8(h.OptLevel).u16(uint16(h.Flags)).u32(h.FileSize).u64(uint64(h.Features))
	w = w.u32(h.SectionCount).u32(h.TableOffset).u32(h.Checksum).u32(0)
	w = append(w, h.ModuleHash[:]...)
	var comp [compilerLen]byte
	copy(comp[:], h.Compiler)
	w = append(w, comp[:]...)
	w = append(w, make([]byte, HeaderSize-offReserved2)...)
	return w
}
