// Package capture takes heap snapshots of a runtime store: it adapts the
// store's GC heap (engine/gc) and the names its modules carry
// (engine/runtime, the name section or the text's $identifiers) to the
// snapshot.Heap interface, and drives snapshot.Capture over it.
//
// A snapshot holds every live object of the store's heap (structs, arrays,
// funcrefs, extern wrappers, exceptions) with its canonical type, a
// readable type name ("$node", else "struct#12"), its shallow size and,
// for arrays, its length; an edge for every non-null reference held in a
// struct field (named from the name section where present), an exception
// payload value or an array element; and every root by category: frame
// slots (thread, frame depth, function, slot), globals, table elements,
// element segment entries, pinned handles, pending exceptions, and the
// runtime's own roots (the funcref object of every function, host
// references) as "other".
//
// The world must be stopped while a snapshot is taken. Capture and
// Snapshot stop the store's other threads (Store.StopTheWorld) and restart
// them when done; the calling thread must not be running Wasm itself, so
// call them between calls or from the thread's own callbacks (a host
// function, ExecEnv.OnBreak), where its frames are committed. With only
// the main thread, StopTheWorld waits for nothing: from another goroutine,
// pause the main thread first (its interrupt word, as the debugger does).
//
// The package imports the engine only: no debugger session and no UI.
package capture
