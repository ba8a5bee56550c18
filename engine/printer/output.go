package printer

import (
	"bufio"
	"io"
)

// output writes text line by line and counts lines, so the printer always
// knows the 1-based number of the line it is filling. The current line is
// kept in a buffer until the next one starts, which lets the printer close
// an s-expression by appending ")" to whatever line came last.
type output struct {
	w      *bufio.Writer
	cur    []byte // the line being filled, without its newline
	line   int    // number of the line in cur; 0 before the first line
	indent string
	err    error
}

func newOutput(w io.Writer, indent string) *output {
	return &output{w: bufio.NewWriterSize(w, 64<<10), indent: indent}
}

// newLine finishes the current line and starts the next one, indented by
// depth levels. It returns the new line's number.
func (o *output) newLine(depth int) int {
	o.flushLine(true)
	o.line++
	for i := 0; i < depth; i++ {
		o.cur = append(o.cur, o.indent...)
	}
	return o.line
}

func (o *output) str(s string)   { o.cur = append(o.cur, s...) }
func (o *output) bytes(b []byte) { o.cur = append(o.cur, b...) }

func (o *output) flushLine(newline bool) {
	if o.line == 0 || o.err != nil {
		o.cur = o.cur[:0]
		return
	}
	if newline {
		o.cur = append(o.cur, '\n')
	}
	_, o.err = o.w.Write(o.cur)
	o.cur = o.cur[:0]
}

// finish writes the last line and flushes, returning the first write error.
func (o *output) finish() error {
	o.flushLine(true)
	if o.err == nil {
		o.err = o.w.Flush()
	}
	return o.err
}
