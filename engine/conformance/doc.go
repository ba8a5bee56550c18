// Package conformance checks the engine against real compiler output and
// against other engines' recorded behaviour: the MoonBit games replay the
// export calls and host calls V8 (Node.js 24) recorded, the MicroHs
// programs trap in main as V8 did, binaryen's fuzzer modules print line for
// line what binaryen's own interpreter printed (with the fuzzing-support
// imports emulated by a test host), a Wasmnizer-ts program returns the
// results its TypeScript source defines, every bundled example returns
// the result V8 gave, also under the collector's stress mode, and the other
// real programs survive calls of their exports without an internal error.
// A differential test generates fresh modules with binaryen's fuzzer from
// fixed seeds and compares the interpreter, the AOT tier and binaryen's
// interpreter on them (TestBinaryenDifferential; its tolerated
// differences are in testdata/binaryen_diff_known.txt).
//
// The package holds tests only. Expectations always come from the other
// engine's recorded output in ../shared/programs or from the examples'
// documented results, never from this engine. Checks the engine does not
// pass yet are listed, each with its reason, in the known-failure lists
// of the test files; a listed check that starts passing fails the test,
// so the lists stay true.
package conformance
