package mem

import (
	"errors"
	"fmt"
	"syscall"
)

// ErrSealed is returned when code is changed after Seal.
var ErrSealed = errors.New("mem: code already sealed")

// Code is memory for loaded machine code (the AOT loader's .aot text and
// read-only data). It is mapped readable and writable so the loader can
// copy and relocate, then Seal makes the text read+execute and the data
// read-only: the memory is never writable and executable at once (W^X).
type Code struct {
	region  *Region
	textLen uint64 // page-rounded
	roLen   uint64 // page-rounded
	sealed  bool
}

// NewCode maps textLen bytes of text followed, on the next page, by roLen
// bytes of read-only data, all zero and writable until Seal.
func NewCode(textLen, roLen uint64) (*Code, error) {
	t, ok1 := roundUp(textLen, osPageSize)
	d, ok2 := roundUp(roLen, osPageSize)
	if !ok1 || !ok2 || t+d < t {
		return nil, fmt.Errorf("mem: code of %d+%d bytes is too large", textLen, roLen)
	}
	r, err := Alloc(t + d)
	if err != nil {
		return nil, err
	}
	return &Code{region: r, textLen: t, roLen: d}, nil
}

// Text is the text section (its page-rounded length). Writing to it after
// Seal faults.
func (c *Code) Text() []byte {
	b := c.region.Bytes()
	if b == nil {
		return nil
	}
	return b[:c.textLen:c.textLen]
}

// ReadOnly is the read-only data section, which follows the text.
func (c *Code) ReadOnly() []byte {
	b := c.region.Bytes()
	if b == nil {
		return nil
	}
	return b[c.textLen : c.textLen+c.roLen : c.textLen+c.roLen]
}

// TextBase is the address of the first byte of text.
func (c *Code) TextBase() uintptr { return c.region.Base() }

// ReadOnlyBase is the address of the first byte of read-only data.
func (c *Code) ReadOnlyBase() uintptr {
	if c.region.Base() == 0 {
		return 0
	}
	return c.region.Base() + uintptr(c.textLen)
}

// Seal makes the text read+execute and the data read-only. It is done
// once, after relocation.
func (c *Code) Seal() error {
	if c.sealed {
		return ErrSealed
	}
	b := c.region.Bytes()
	if b == nil {
		return ErrClosed
	}
	if c.textLen > 0 {
		if err := syscall.Mprotect(b[:c.textLen], syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
			return fmt.Errorf("mem: sealing text: %w", err)
		}
	}
	if c.roLen > 0 {
		if err := syscall.Mprotect(b[c.textLen:], syscall.PROT_READ); err != nil {
			return fmt.Errorf("mem: sealing data: %w", err)
		}
	}
	c.sealed = true
	return nil
}

// Sealed reports whether Seal has run.
func (c *Code) Sealed() bool { return c.sealed }

// Close unmaps the code. Nothing may run in it afterwards.
func (c *Code) Close() error { return c.region.Close() }
