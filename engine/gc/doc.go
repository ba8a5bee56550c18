// Package gc is a store's garbage-collected heap: WebAssembly GC structs and
// arrays, funcref, externref and exception objects, kept outside the Go heap
// in one mem.Region so interpreted code, AOT code and the inspection tools
// read the same bytes. References are 32-bit offsets from the heap base
// (Ref), objects never move, and memory is reclaimed by a precise
// stop-the-world mark-sweep collector with an explicit mark stack. The
// object model (headers, layouts, accessors, roots and handles) lives in
// Heap; placement and reclamation live behind the Collector interface.
// docs/gc-heap.md describes the encoding byte by byte.
package gc
