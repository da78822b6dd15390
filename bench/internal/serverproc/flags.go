package serverproc

import (
	"context"
	"flag"
	"os"
)

// Flags are the flags of a benchmark that runs the server: which binary, and whether to profile it.
type Flags struct {
	Bin        string // a binary built before; empty: built from this module
	CPUProfile string // where the server writes its CPU profile; empty: none
}

// AddFlags registers -disputed and -cpuprofile on fs.
func AddFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{}
	fs.StringVar(&f.Bin, "disputed", "", "the disputed binary; default: built from this module")
	fs.StringVar(&f.CPUProfile, "cpuprofile", "", "write the server's CPU profile to this file")
	return f
}

// Build returns the binary to run, the one given or one built into a new temporary folder,
// and what removes that folder once the benchmark is done with the binary.
func (f *Flags) Build(ctx context.Context, bench string) (bin string, remove func(), err error) {
	dir, err := os.MkdirTemp("", "bench-"+bench+"-")
	if err != nil {
		return "", nil, err
	}
	remove = func() { _ = os.RemoveAll(dir) }
	if bin, err = Build(ctx, dir, f.Bin); err != nil {
		remove()
		return "", nil, err
	}
	return bin, remove, nil
}

// Start runs the server like the package's Start, profiled when the flags ask for it.
func (f *Flags) Start(bin, db string, env ...string) (*Server, error) {
	if f.CPUProfile != "" {
		env = append(env, "DISPUTED_CPU_PROFILE="+f.CPUProfile)
	}
	return Start(bin, db, env...)
}
