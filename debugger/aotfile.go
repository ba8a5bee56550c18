package debugger

import (
	"fmt"
	"os"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// AOTFile returns the bytes of the .aot file an AOT session runs: the
// target file, or (with Options.AOT) the debug build compiled for it,
// re-encoded from what the loader holds (the writer reproduces a file it
// wrote byte for byte). It fails for an interpreter session and before
// the code is compiled.
func (s *Session) AOTFile() ([]byte, error) {
	if s.aot == nil {
		return nil, fmt.Errorf("%s runs on the interpreter: there is no .aot file", s.opts.Path)
	}
	if s.aotPath != "" {
		return os.ReadFile(s.aotPath)
	}
	f := s.aot.LoadedFile(s.module)
	if f == nil {
		return nil, fmt.Errorf("%s: not compiled yet", s.opts.Path)
	}
	b, err := aotfile.Write(f)
	if err != nil {
		return nil, fmt.Errorf("%s: re-encoding the compiled file: %w", s.opts.Path, err)
	}
	return b, nil
}
