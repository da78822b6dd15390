package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestCPUProfileIsWrittenWhenAsked(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "cpu.prof")
	s := startServerOn(t, filepath.Join(t.TempDir(), "disputed.db"), map[string]string{"DISPUTED_CPU_PROFILE": file})
	want(t, s.get("/v1/disputes"), 200)
	if err := s.main.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// A profile is gzipped protobuf: go tool pprof reads it.
	if !bytes.HasPrefix(raw, []byte{0x1f, 0x8b}) {
		t.Fatalf("the profile is not gzipped: %d bytes starting %q", len(raw), raw[:min(len(raw), 8)])
	}
}
