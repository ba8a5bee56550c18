// Package snapjson reads and writes heap snapshots in gcscope's own JSON
// format, the one `gcscope snapshot` saves and the heap browser loads.
//
// A file is one JSON object:
//
//	{
//	  "format": "gcscope-heap-snapshot",
//	  "version": 1,
//	  "types": [
//	    {"id": 3, "kind": "struct", "name": "$node", "fields": ["left", "right"]},
//	    {"id": -1, "kind": "func"}
//	  ],
//	  "nodes": [16,0,24,0, 40,1,16,0],
//	  "edges": [16,40,0,1],
//	  "roots": [
//	    {"category": "frame", "thread": 1, "frame": 0, "func": 7, "slot": 2, "name": "$fib", "target": 16}
//	  ]
//	}
//
// "format" and "version" come first and must be as shown; a reader refuses
// other versions rather than guessing. Later versions will add members;
// readers of this version ignore members they do not know.
//
// "types" lists the object types. "id" is the canonical type id, -1 for
// objects with none (funcrefs, extern wrappers, boxed i31); "kind" is one
// of struct, array, i31, func, extern, exn; "name" and "fields" (field
// names by index, "" for an unnamed one) may be left out. No two types
// share both id and kind.
//
// "nodes" holds four numbers per object: id (the compressed reference,
// even; odd for a boxed i31), type (index into "types"), shallow size in
// bytes, array length (0 for other kinds). Ids are unique; writers put
// them in ascending order, readers accept any order.
//
// "edges" holds four numbers per reference: source id, target id, kind
// (0 field, 1 element, 2 internal) and index (the field or element index,
// or a runtime-defined number for internal edges).
//
// "roots" lists the roots: "category" is one of frame, global, table,
// elem, handle, exception, other; "target" is the id of the object held;
// "thread", "frame" (depth, 0 innermost), "func" (function index), "index"
// (global, table, segment, handle or exception number), "slot" (frame
// slot, table element, segment entry) and "name" describe the place, are
// meaningful per category as in snapshot.Root, and are left out when 0 or
// empty.
//
// The synthetic super-root and category nodes are not stored: a reader
// rebuilds them from "roots". All numbers are unsigned 32-bit except type
// ids (-1). Flat number arrays keep a million-object file to tens of
// megabytes and quick to parse.
//
// Read reports a damaged file with a *FormatError naming the byte offset
// of the offending byte (for malformed JSON) or the JSON path of the bad
// value, e.g. "edges[40]: target 0x1c8 is not an object of the snapshot".
package snapjson
