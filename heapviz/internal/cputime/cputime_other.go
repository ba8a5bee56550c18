//go:build !unix

package cputime

func processCPU() (int64, bool) { return 0, false }
