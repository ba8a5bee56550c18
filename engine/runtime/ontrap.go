package runtime

import "errors"

// Trapped is what an engine calls when a call into Wasm on e ends with
// err (a trap, or an error from a hook), before it pops the call's
// frames: ActiveFrames are still those at the trap, with their offsets
// committed. It runs OnTrap (a debugger stops there, with every frame
// readable) and returns the error the call should end with. An error
// already reported, coming back through an outer call (a host function
// that called back into Wasm), is not reported again.
func (e *ExecEnv) Trapped(err error) error {
	if e.OnTrap == nil || err == nil {
		return err
	}
	if e.trapped != nil && errors.Is(err, e.trapped) {
		return err
	}
	err = e.OnTrap(e, err)
	e.trapped = err // what the outer calls will see (maybe wrapped)
	return err
}
