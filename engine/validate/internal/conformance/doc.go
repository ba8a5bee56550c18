// Package conformance holds the validator's end-to-end tests: the spec
// test suite's modules (read with the text parser) and the real compiler
// output under the shared programs folder (read with the binary decoder).
// They live apart from package validate so that its unit tests never
// depend on the front ends being built.
package conformance
