package printer

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// appendString writes b as a quoted text-format string. Printable ASCII
// stays as it is; quotes, backslashes and control bytes become \hh escapes.
// With unicode set, valid multi-byte UTF-8 characters are kept literally
// (names read better); data segments pass false so every non-ASCII byte is
// escaped and the bytes stay visible.
func appendString(dst, b []byte, unicode bool) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c >= 0x20 && c < 0x7f:
			dst = append(dst, c)
		case c >= 0x80 && unicode:
			r, n := utf8.DecodeRune(b[i:])
			if r != utf8.RuneError || n > 1 {
				dst = append(dst, b[i:i+n]...)
				i += n
				continue
			}
			dst = append(dst, '\\', hexDigits[c>>4], hexDigits[c&15])
		default:
			dst = append(dst, '\\', hexDigits[c>>4], hexDigits[c&15])
		}
		i++
	}
	return append(dst, '"')
}
