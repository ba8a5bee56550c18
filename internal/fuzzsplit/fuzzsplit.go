// Package fuzzsplit cuts an .aot file into the short byte strings the
// fuzz tests of the .aot readers take, and joins them back.
//
// Go's input minimizer is quadratic in the length of a byte string, and an
// .aot file is over 4 KiB because its text is page-aligned: fed as one
// string, minimizing every new input used the whole time limit and the
// fuzzer made tens of executions a minute. Fed as Head pieces before the
// text (its zero padding left out) and Tail pieces of text onward, every
// string stays short: Len bytes, or an equal share of its group when the
// group is longer than its pieces times Len (the minimizer's work grows
// with the sum of the squares of the lengths, which equal shares keep
// least).
// Head is larger than the loader's 14 (engine/aot/loader) because the
// dumper's seeds carry more before their text (up to 4 KiB).
//
// The package imports nothing from the engine so that engine packages'
// own (internal) tests can use it without an import cycle.
package fuzzsplit

import "bytes"

// The number of pieces before the text, of pieces from the text on, and
// the least length of a piece (but the last of its group, which takes the
// rest).
const (
	Head = 32
	Tail = 4
	Len  = 64
)

// Split cuts data, whose text section starts at the last multiple of
// align (page-aligned text that comes last and is shorter than a page, as
// in the seeds), into the part before the text without its zero padding
// and the text onward. Join(Split(data)) is data for such a file; for a
// file shorter than align the tail is empty.
func Split(data []byte, align int) (head [Head][]byte, tail [Tail][]byte) {
	SplitInto(data, align, head[:], tail[:])
	return head, tail
}

// SplitInto is Split for a fuzz test with its own numbers of pieces
// (engine/aot/loader keeps 14 head pieces, so that its cached corpus stays
// valid): it fills head and tail, each non-empty.
func SplitInto(data []byte, align int, head, tail [][]byte) {
	at := len(data) / align * align
	before, text := data, []byte(nil)
	if at > 0 {
		before, text = bytes.TrimRight(data[:at], "\x00"), data[at:]
	}
	cut(head, before)
	cut(tail, text)
}

// cut fills pieces from b, each max(Len, an equal share) bytes, the last
// with the rest.
func cut(pieces [][]byte, b []byte) {
	size := max(Len, (len(b)+len(pieces)-1)/len(pieces))
	for i := range pieces {
		n := min(size, len(b))
		if i == len(pieces)-1 {
			n = len(b)
		}
		pieces[i], b = b[:n], b[n:]
	}
}

// Join undoes Split: the head pieces, zeros up to the next multiple of
// align, then the tail pieces. With an empty tail it is the head pieces
// alone, so every byte string is some Join's result. The result is a new
// slice the caller may modify.
func Join(head [Head][]byte, tail [Tail][]byte, align int) []byte {
	return JoinPieces(head[:], tail[:], align)
}

// JoinPieces is Join for any numbers of pieces; it undoes SplitInto.
func JoinPieces(head, tail [][]byte, align int) []byte {
	b := bytes.Join(head, nil)
	text := bytes.Join(tail, nil)
	if len(text) == 0 {
		return b
	}
	at := (len(b) + align - 1) / align * align
	b = append(b, make([]byte, at-len(b))...)
	return append(b, text...)
}
