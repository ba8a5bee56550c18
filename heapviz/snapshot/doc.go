// Package snapshot is the in-memory model of a heap snapshot: the objects of
// a stopped GC heap, the references between them and the roots that keep
// them alive, kept in flat tables so that a snapshot of millions of objects
// costs a few dozen bytes per object and no Go object per edge.
//
// A snapshot is a graph of nodes numbered 0..NumNodes()-1. Node 0 is the
// synthetic super-root; nodes 1..NumRootCategories are synthetic root
// category nodes (frame slots, globals, tables, ...), one per RootCategory,
// each with an edge from the super-root; the objects follow, from
// FirstObject on, sorted by object id. An object id is the object's
// compressed reference (its byte offset in the heap), so ids are unique
// within one snapshot and even; boxed i31 values, when captured, use the
// odd i31 reference itself as id. Every root is an edge from its
// category's node to the object it holds.
//
// Edges are stored as compressed sparse rows: the outgoing edges of node n
// are the edge numbers Edges(n) returns, in the order they were added.
// Incoming edges are computed on first use.
//
// Snapshots are built with a Builder (or by Capture, which drives one over
// a Heap) and are immutable afterwards, so analyses may share them.
package snapshot
