// Package stripemock runs stripe-mock, Stripe's stateless API double, for tests: it checks the
// shape of the requests the server sends to Stripe. The tests that need it skip when it is not
// installed, except in CI (CI=true), where they fail.
package stripemock

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// install is how the tests' Stripe double is installed.
const install = "go install github.com/stripe/stripe-mock@v0.203.0"

// find looks for the stripe-mock binary in $PATH, then in $(go env GOPATH)/bin.
func find() string {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return ""
	}
	for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
		p := filepath.Join(dir, "bin", "stripe-mock")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// Start runs stripe-mock on ports the system picks and returns its HTTP base URL.
// Without the binary the test is skipped, except in CI (CI=true), where it fails.
func Start(t *testing.T) string {
	t.Helper()
	bin := find()
	if bin == "" {
		msg := "stripe-mock is not installed (" + install + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Both listeners on port 0: stripe-mock also serves HTTPS, by default on the fixed port
	// 12112, which two test runs at once would fight over.
	cmd := exec.CommandContext(ctx, bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start stripe-mock: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})

	addr := make(chan string, 1)
	go func() {
		const prefix = "Listening for HTTP at address: "
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), prefix); ok {
				addr <- a
				break
			}
		}
		_, _ = io.Copy(io.Discard, out) // keep the pipe drained until it exits
	}()
	select {
	case a := <-addr:
		return "http://" + a
	case <-time.After(20 * time.Second):
		t.Fatal("stripe-mock did not say where it listens")
		return ""
	}
}
