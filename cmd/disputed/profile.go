package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile starts the CPU profile that DISPUTED_CPU_PROFILE names, for finding where a
// benchmark's time goes in the real server. /debug/pprof is not served: a profile is asked for
// by whoever starts the process, never by a request.
func (m *Main) startProfile() error {
	if m.Config.CPUProfile == "" {
		return nil
	}
	f, err := os.Create(m.Config.CPUProfile)
	if err != nil {
		return fmt.Errorf("DISPUTED_CPU_PROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return errors.Join(fmt.Errorf("DISPUTED_CPU_PROFILE: %w", err), f.Close())
	}
	m.profile = f
	return nil
}

// stopProfile ends the CPU profile, if one runs, and closes its file.
func (m *Main) stopProfile() error {
	if m.profile == nil {
		return nil
	}
	pprof.StopCPUProfile()
	return m.profile.Close()
}
