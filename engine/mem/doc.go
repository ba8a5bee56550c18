// Package mem owns every piece of memory gcscope keeps outside the Go heap
// and is the only package that handles unsafe pointers to it: address-space
// reservations committed on demand (Region), WebAssembly linear memories
// built on them (Linear), W^X mappings for loaded machine code (Code), and
// bounds-checked little-endian and atomic access to their bytes. Everything else reads and writes that memory through the
// slices and helpers exported here.
package mem
