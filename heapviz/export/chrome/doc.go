// Package chrome exports a heap snapshot in the V8 heap snapshot format,
// the .heapsnapshot files Chrome DevTools' Memory tab loads (Load button),
// so its summary, comparison, containment and retainers views, written for
// JavaScript heaps, work on Wasm GC heaps too.
//
// The format is one JSON object. "snapshot.meta" declares the layout:
// every node is node_fields' seven numbers (type, name, id, self_size,
// edge_count, trace_node_id, detachedness) in the flat "nodes" array, and
// every edge edge_fields' three (type, name_or_index, to_node) in "edges";
// a node's edges follow those of the nodes before it, so edge_count is the
// only link from a node to its edges. Types index the enumerations in
// node_types and edge_types; names index the "strings" table; to_node is
// the target's position in "nodes" (node number times seven); element
// edges carry an index instead of a name. DevTools takes the first node as
// the root.
//
// The export lays out the graph the way V8 does: the root, then
// "(GC roots)", then one synthetic node per root category ("(frame
// roots)", ...), then the objects. Objects keep their compressed reference
// as id (DevTools shows it as @id and matches objects across snapshots by
// it); synthetic nodes get small odd ids no object uses. Wasm structs,
// arrays and exceptions are exported as "object" nodes named after their
// type, because DevTools groups the summary by the name of such nodes
// only; funcrefs are closures, extern wrappers natives and boxed i31s
// numbers. Fields become property edges named after the field, array
// elements element edges, roots internal edges named after the place.
package chrome
