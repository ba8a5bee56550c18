package snapshot

import "strconv"

// itoa and hex keep the labelling code short; strconv avoids fmt's
// reflection on paths that label every edge of a large export.
func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

func hex(v uint32) string { return strconv.FormatUint(uint64(v), 16) }
