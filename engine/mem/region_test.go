package mem

import "testing"

func TestRegionCommitAndClose(t *testing.T) {
	r, err := Reserve(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Bytes()) != 0 || r.Reserved() != 1<<20 {
		t.Fatalf("fresh region: %d committed, %d reserved", len(r.Bytes()), r.Reserved())
	}
	if err := r.Commit(100); err != nil {
		t.Fatal(err)
	}
	b := r.Bytes()
	if uint64(len(b)) != osPageSize {
		t.Fatalf("commit rounds to a page: got %d", len(b))
	}
	b[len(b)-1] = 7
	if err := r.Commit(3 * osPageSize); err != nil {
		t.Fatal(err)
	}
	b2 := r.Bytes()
	if &b2[0] != &b[0] || b2[len(b)-1] != 7 || b2[len(b2)-1] != 0 {
		t.Fatal("commit moved or lost data, or new bytes are not zero")
	}
	if err := r.Commit(2 << 20); err == nil {
		t.Fatal("commit beyond the reservation succeeded")
	}
	if r.Base() == 0 || r.Base()%uintptr(osPageSize) != 0 {
		t.Fatalf("base %#x not page aligned", r.Base())
	}
	if w := r.Words(); len(w) != len(b2)/8 {
		t.Fatalf("Words: %d words for %d bytes", len(w), len(b2))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if r.Bytes() != nil || r.Base() != 0 || r.Commit(1) != ErrClosed || r.Close() != nil {
		t.Fatal("closed region still usable")
	}
}

func TestAllocWords(t *testing.T) {
	r, err := Alloc(4096)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w := r.Words()
	w[0], w[len(w)-1] = 1, 2
	if b := r.Bytes(); b[0] != 1 || b[len(b)-8] != 2 {
		t.Fatal("Words and Bytes disagree")
	}
}

func TestReserveTooLarge(t *testing.T) {
	if _, err := Reserve(1 << 62); err == nil {
		t.Fatal("absurd reservation succeeded")
	}
	if _, err := Reserve(^uint64(0)); err == nil {
		t.Fatal("overflowing reservation succeeded")
	}
}

// Dropped regions are unmapped by the cleanup: reserving far more address
// space in total than a process has (128 TiB on x86-64) works only if
// cleanups run, which Reserve forces when mmap reports ENOMEM.
func TestCleanupUnmaps(t *testing.T) {
	if testing.Short() {
		t.Skip("reserves a lot of address space")
	}
	for i := 0; i < 2500; i++ { // 2500 * 64 GiB = 160 TiB
		if _, err := Reserve(maxReservation); err != nil {
			t.Fatalf("reservation %d: %v", i, err)
		}
	}
}

func TestDecommit(t *testing.T) {
	r, err := Alloc(8 * osPageSize)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b := r.Bytes()
	for i := range b {
		b[i] = 0xAA
	}
	// Only the whole pages inside the range are dropped.
	if n, err := r.Decommit(osPageSize/2, 3*osPageSize); err != nil || n != 2*osPageSize {
		t.Fatalf("decommit: %d bytes, %v", n, err)
	}
	if b[osPageSize-1] != 0xAA || b[osPageSize] != 0 || b[3*osPageSize-1] != 0 || b[3*osPageSize] != 0xAA {
		t.Fatal("decommit did not zero exactly the inner pages")
	}
	b[osPageSize] = 1 // still writable
	if _, err := r.Decommit(0, ^uint64(0)); err != nil || b[0] != 0 || b[len(b)-1] != 0 {
		t.Fatalf("decommit of everything: %v", err)
	}
}
