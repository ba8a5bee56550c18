// Package compiledtest holds the tests of aotdump over .aot files made by
// the real AOT compiler (engine/aot/compile, which needs llc). It is a
// package of its own so that aotdump's own tests do not depend on the
// compiler building.
package compiledtest
