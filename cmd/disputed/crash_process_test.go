//go:build crash

package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildDisputed builds the real binary, as an operator would run it.
func buildDisputed(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "disputed")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is `disputed serve` on a fixed loopback port and database, started again after each
// kill. A server that exits without being killed is a failure: died says why.
type process struct {
	bin, addr string
	env       []string
	log       string // every run's standard error, for the failure message

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	killed bool
	died   []string
}

func newProcess(t *testing.T, bin, db string, env map[string]string) *process {
	t.Helper()
	p := &process{bin: bin, addr: freePort(t), log: filepath.Join(t.TempDir(), "disputed.log")}
	// The server's configuration is the test's alone: none of the developer's DISPUTED_ variables.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPUTED_") {
			p.env = append(p.env, kv)
		}
	}
	p.env = append(p.env, "DISPUTED_DATABASE_URL="+db, "DISPUTED_ADDR="+p.addr, "DISPUTED_LOG_LEVEL=warn")
	for k, v := range env {
		p.env = append(p.env, k+"="+v)
	}
	return p
}

// start runs the server; it does not wait for it to listen.
func (p *process) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	log, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer log.Close() // the child has its own descriptor
	cmd := exec.Command(p.bin, "serve")
	cmd.Env, cmd.Stderr = p.env, log
	if err := cmd.Start(); err != nil {
		return err
	}
	p.cmd, p.killed, p.exited = cmd, false, make(chan struct{})
	go func(exited chan struct{}) {
		err := cmd.Wait()
		p.mu.Lock()
		if !p.killed {
			p.died = append(p.died, fmt.Sprintf("the server exited by itself (%v)", err))
		}
		p.mu.Unlock()
		close(exited)
	}(p.exited)
	return nil
}

// waitReady waits until the server answers /readyz.
func (p *process) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		res, err := http.Get("http://" + p.addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.exited:
			return fmt.Errorf("the server exited while starting:\n%s", p.logTail())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("the server was not ready within %v:\n%s", timeout, p.logTail())
}

// kill ends the server with SIGKILL, as a crash or an OOM kill would, and waits until it is gone.
func (p *process) kill() {
	p.mu.Lock()
	p.killed = true
	cmd, exited := p.cmd, p.exited
	p.mu.Unlock()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-exited
}

// deaths returns what went wrong with the server other than our kills.
func (p *process) deaths() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.died...)
}

func (p *process) logTail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
