// Command genops writes opcodes_gen.go, the Op* constants, from opcodes.def.
// Run it through `go generate ./engine/wasm`.
package main

import (
	"log"
	"os"

	"github.com/gcscope/gcscope/engine/wasm/internal/opdef"
)

func main() {
	src, err := os.ReadFile("opcodes.def")
	if err != nil {
		log.Fatal(err)
	}
	out, err := opdef.GenerateConsts(string(src))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("opcodes_gen.go", out, 0o644); err != nil {
		log.Fatal(err)
	}
}
