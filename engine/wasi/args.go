package wasi

import "github.com/gcscope/gcscope/engine/runtime"

// argsGet is args_get(argv, argv_buf): pointers to NUL-terminated
// arguments at argv, their bytes at argv_buf.
func (w *WASI) argsGet(mem []byte, a []runtime.Value) Errno {
	return putStrings(mem, w.args, u32(a, 0), u32(a, 1))
}

// argsSizesGet is args_sizes_get(argc_ptr, buf_size_ptr).
func (w *WASI) argsSizesGet(mem []byte, a []runtime.Value) Errno {
	return putSizes(mem, w.args, u32(a, 0), u32(a, 1))
}

// environGet is environ_get(environ, environ_buf), like args_get.
func (w *WASI) environGet(mem []byte, a []runtime.Value) Errno {
	return putStrings(mem, w.env, u32(a, 0), u32(a, 1))
}

// environSizesGet is environ_sizes_get(count_ptr, buf_size_ptr).
func (w *WASI) environSizesGet(mem []byte, a []runtime.Value) Errno {
	return putSizes(mem, w.env, u32(a, 0), u32(a, 1))
}

// putStrings writes the NUL-terminated strings at buf and a pointer to
// each at ptrs.
func putStrings(mem []byte, strs []string, ptrs, buf uint32) Errno {
	if _, ok := span(mem, ptrs, uint32(4*len(strs))); !ok {
		return ErrnoFault
	}
	for i, s := range strs {
		b, ok := span(mem, buf, uint32(len(s))+1)
		if !ok {
			return ErrnoFault
		}
		copy(b, s)
		b[len(s)] = 0
		store32(mem, ptrs+4*uint32(i), buf)
		buf += uint32(len(s)) + 1
	}
	return ErrnoSuccess
}

// putSizes writes the number of strings and their total size with NULs.
func putSizes(mem []byte, strs []string, countPtr, sizePtr uint32) Errno {
	size := 0
	for _, s := range strs {
		size += len(s) + 1
	}
	if !store32(mem, countPtr, uint32(len(strs))) || !store32(mem, sizePtr, uint32(size)) {
		return ErrnoFault
	}
	return ErrnoSuccess
}
