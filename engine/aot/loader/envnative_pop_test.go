package loader

import (
	"errors"
	"reflect"
	"testing"
	"unsafe"
)

// nonZero makes the settable value v non-zero, whatever its kind.
func nonZero(t *testing.T, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Interface:
		v.Set(reflect.ValueOf(errors.New("x")))
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Field(i)
			nonZero(t, reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem())
		}
	default:
		t.Fatalf("no non-zero value for %s", v.Type())
	}
}

// TestPopClearsEveryField: pop clears only the fields Invoke sets unless
// one of the others is set; with any one field of an activation set, the
// popped activation must come back all zero.
func TestPopClearsEveryField(t *testing.T) {
	typ := reflect.TypeFor[activation]()
	for i := range typ.NumField() {
		n := &envNative{}
		a := n.push()
		v := reflect.ValueOf(a).Elem().Field(i)
		nonZero(t, reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem())
		n.pop()
		if !reflect.ValueOf(a).Elem().IsZero() {
			t.Errorf("pop left field %s set", typ.Field(i).Name)
		}
	}
}

// TestEnvNativeLines: envNative's size is a multiple of 64 bytes (its
// size class then keeps it 64-byte aligned) and the call cache with the
// depth fill its first line, which is all Invoke reads of it when the
// same function is called again.
func TestEnvNativeLines(t *testing.T) {
	var n envNative
	if size := unsafe.Sizeof(n); size%64 != 0 {
		t.Errorf("envNative is %d bytes, not a multiple of 64: change envNativePad by %d", size, (64-size%64)%64)
	}
	if end := unsafe.Offsetof(n.depth) + unsafe.Sizeof(n.depth); end > 64 || unsafe.Offsetof(n.last) != 0 {
		t.Errorf("last and depth end at byte %d, past the first line", end)
	}
	for range 10 {
		envNativeSink = &envNative{} // on the heap, as newNative's
		if p := uintptr(unsafe.Pointer(envNativeSink)); p%64 != 0 {
			t.Errorf("a new envNative is at %#x, not 64-byte aligned", p)
		}
	}
}

var envNativeSink *envNative
