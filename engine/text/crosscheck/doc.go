// Package crosscheck checks the text parser against independent code: the
// binary encoder and decoder (every suite module must encode and decode back
// to the same module) and, when available, wabt's wat2wasm. It holds only
// tests; they live apart from package text so that the parser's own tests
// never wait on other packages.
package crosscheck
