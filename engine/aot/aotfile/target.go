package aotfile

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"strconv"
)

// Arch is a machine architecture, numbered as ELF's e_machine field numbers
// it, so the value can be copied from the compiler's object file.
type Arch uint16

// Architectures the format knows.
const (
	ArchX86_64  Arch = 62  // EM_X86_64
	ArchAArch64 Arch = 183 // EM_AARCH64
)

func (a Arch) String() string {
	switch a {
	case ArchX86_64:
		return "x86-64"
	case ArchAArch64:
		return "aarch64"
	}
	return fmt.Sprintf("arch(%d)", uint16(a))
}

// OS is an operating system (the code's calling convention and the
// loader's mapping calls depend on it).
type OS uint8

// Operating systems. Only Linux is generated today; the others are named so
// that a mismatch message can say which system a file or machine has.
const (
	OSUnknown OS = 0
	OSLinux   OS = 1
	OSDarwin  OS = 2
	OSWindows OS = 3
	OSFreeBSD OS = 4
)

func (o OS) String() string {
	switch o {
	case OSLinux:
		return "linux"
	case OSDarwin:
		return "darwin"
	case OSWindows:
		return "windows"
	case OSFreeBSD:
		return "freebsd"
	}
	return fmt.Sprintf("os(%d)", uint8(o))
}

// Endian is the byte order of the compiled code (the file itself is always
// little-endian). Values follow ELF's EI_DATA.
type Endian uint8

// Byte orders.
const (
	LittleEndian Endian = 1
	BigEndian    Endian = 2
)

func (e Endian) String() string {
	switch e {
	case LittleEndian:
		return "little-endian"
	case BigEndian:
		return "big-endian"
	}
	return fmt.Sprintf("endian(%d)", uint8(e))
}

// Target is the machine a file's code runs on.
type Target struct {
	Arch        Arch
	OS          OS
	PointerSize uint8 // bytes: 4 or 8
	Endian      Endian
}

func (t Target) String() string {
	return fmt.Sprintf("%s-%s (%d-byte pointers, %s)", t.Arch, t.OS, t.PointerSize, t.Endian)
}

// HostTarget describes the machine this program runs on. An unsupported
// architecture or system gets a code of 0, which no file carries, so
// CheckTarget still fails with a message naming it.
func HostTarget() Target {
	t := Target{PointerSize: uint8(strconv.IntSize / 8), Endian: LittleEndian}
	switch runtime.GOARCH {
	case "amd64":
		t.Arch = ArchX86_64
	case "arm64":
		t.Arch = ArchAArch64
	}
	switch runtime.GOOS {
	case "linux":
		t.OS = OSLinux
	case "darwin":
		t.OS = OSDarwin
	case "windows":
		t.OS = OSWindows
	case "freebsd":
		t.OS = OSFreeBSD
	}
	if binary.NativeEndian.Uint16([]byte{0, 1}) == 1 {
		t.Endian = BigEndian
	}
	return t
}

// hostArchName and hostOSName name the host's architecture and system,
// falling back to Go's names for ones the format has no code for.
func hostArchName(a Arch) string {
	if a == 0 {
		return runtime.GOARCH
	}
	return a.String()
}

func hostOSName(o OS) string {
	if o == OSUnknown {
		return runtime.GOOS
	}
	return o.String()
}

// CheckTarget returns an error saying how the file's target differs from
// host (usually HostTarget()), or nil if the code can run there.
func (h *Header) CheckTarget(host Target) error {
	t := h.Target
	switch {
	case t.Arch != host.Arch:
		return fmt.Errorf("compiled for %s, this machine is %s", t.Arch, hostArchName(host.Arch))
	case t.OS != host.OS:
		return fmt.Errorf("compiled for %s, this machine runs %s", t.OS, hostOSName(host.OS))
	case t.PointerSize != host.PointerSize:
		return fmt.Errorf("compiled for %d-byte pointers, this machine has %d-byte pointers", t.PointerSize, host.PointerSize)
	case t.Endian != host.Endian:
		return fmt.Errorf("compiled for %s code, this machine is %s", t.Endian, host.Endian)
	}
	return nil
}

// CheckABI returns an error unless the file was compiled for the execution
// environment layout the runtime has.
func (h *Header) CheckABI(runtimeABI uint32) error {
	if h.ABIVersion != runtimeABI {
		return fmt.Errorf("compiled code uses exec env ABI %d, runtime has %d: recompile", h.ABIVersion, runtimeABI)
	}
	return nil
}

// CheckFeatures returns an error naming the features the file's code needs
// that supported lacks.
func (h *Header) CheckFeatures(supported Features) error {
	if missing := h.Features &^ supported; missing != 0 {
		return fmt.Errorf("compiled code needs %s, which this runtime does not support", missing)
	}
	return nil
}
