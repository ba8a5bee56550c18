package aotfile

import (
	"errors"
	"fmt"
)

// Error is a problem at a place in an .aot file.
type Error struct {
	// Offset is the absolute byte offset in the file of the problem.
	Offset int64
	// Section names the part of the file being read: "header", "section
	// table" or a section's name.
	Section string
	Msg     string
}

func (e *Error) Error() string {
	if e.Section == "" {
		return fmt.Sprintf("aot: offset 0x%x: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("aot: offset 0x%x (%s): %s", e.Offset, e.Section, e.Msg)
}

// errorf builds an *Error.
func errorf(off int64, section, format string, args ...any) *Error {
	return &Error{Offset: off, Section: section, Msg: fmt.Sprintf(format, args...)}
}

// ChecksumError says that the file's contents do not match the checksum in
// its header: the file was damaged after it was written. The loader must
// reject such a file; the dumper shows it and carries on.
type ChecksumError struct {
	Stored, Computed uint32
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("aot: offset 0x%x (header): checksum mismatch: header says 0x%08x, contents give 0x%08x (file damaged)",
		offChecksum, e.Stored, e.Computed)
}

// maxReported bounds how many problems Read reports, so that a file of
// garbage gives a readable error rather than thousands of lines.
const maxReported = 16

// errList collects the problems found while reading a file.
type errList struct {
	errs    []error
	dropped int
}

func (l *errList) add(err error) {
	if err == nil {
		return
	}
	if len(l.errs) >= maxReported {
		l.dropped++
		return
	}
	l.errs = append(l.errs, err)
}

// err returns nil, the single problem, or all of them joined (errors.As
// still finds each one).
func (l *errList) err() error {
	switch {
	case len(l.errs) == 0:
		return nil
	case len(l.errs) == 1 && l.dropped == 0:
		return l.errs[0]
	}
	errs := l.errs
	if l.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("aot: %d more problems not shown", l.dropped))
	}
	return errors.Join(errs...)
}
