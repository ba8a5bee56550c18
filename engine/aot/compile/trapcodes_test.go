package compile

import "testing"

// TestTrapCodesDistinct: the trap codes of every feature (numbered in
// separate files) are distinct and apart from PendingException, and each
// trap has a message; a collision would make one trap report another's.
func TestTrapCodesDistinct(t *testing.T) {
	codes := map[string]uint64{
		"Unreachable": TrapUnreachable, "DivZero": TrapDivZero, "IntOverflow": TrapIntOverflow,
		"InvalidConversion": TrapInvalidConversion, "MemoryOOB": TrapMemoryOOB,
		"StackExhausted": TrapStackExhausted, "UndefinedElement": TrapUndefinedElement,
		"UninitializedElement": TrapUninitializedElement, "IndirectType": TrapIndirectType,
		"Interrupted": TrapInterrupted, "TableOOB": TrapTableOOB, "Host": TrapHost,
		"UnalignedAtomic": TrapUnalignedAtomic, "NotShared": TrapNotShared,
		"NullExnRef": TrapNullExnRef,
		"NullStruct": TrapNullStruct, "NullArray": TrapNullArray, "ArrayOOB": TrapArrayOOB,
		"CastFailure": TrapCastFailure, "NullRef": TrapNullRef, "NullI31": TrapNullI31,
		"NullFuncRef": TrapNullFuncRef, "OutOfMemory": TrapOutOfMemory,
		"PendingException": PendingException,
	}
	seen := map[uint64]string{}
	for name, c := range codes {
		if other, ok := seen[c]; ok {
			t.Errorf("trap codes %s and %s are both %#x", name, other, c)
		}
		seen[c] = name
		if _, ok := TrapMessages[c]; !ok && name != "Host" && name != "PendingException" {
			t.Errorf("trap %s (%#x) has no message", name, c)
		}
	}
}
