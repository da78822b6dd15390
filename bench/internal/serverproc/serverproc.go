// Package serverproc runs the real server for a benchmark: it builds the disputed binary and
// starts `disputed serve` as a process of its own on a random loopback port, as a user runs it,
// so that its memory can be read from /proc and its CPU is not shared with the load generator's
// goroutines.
package serverproc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// AdminKey is the admin key every benchmark server starts with.
const AdminKey = "sk_bench_admin_0123456789abcdef"

// SecretKey seals the secrets of every benchmark server (DISPUTED_SECRET_KEY), the same for
// each start on one database; on PostgreSQL the server generates none.
const SecretKey = "YmVuY2htYXJrIHNlY3JldCBrZXkgMDEyMzQ1Njc4OWE="

// Build compiles the server into dir and returns the binary's path. bin, when not empty, is a
// binary built before (bench/all builds once for every run) and is returned as it is.
func Build(ctx context.Context, dir, bin string) (string, error) {
	if bin != "" {
		return bin, nil
	}
	out := filepath.Join(dir, "disputed")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "disputed/cmd/disputed")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build disputed: %w", err)
	}
	return out, nil
}

// Server is a running `disputed serve`.
type Server struct {
	URL    string // http://127.0.0.1:port
	Client *http.Client
	cmd    *exec.Cmd
	exited chan error
}

// Start runs `disputed serve` on db with the admin key, the secret key and the environment variables env
// ("NAME=value") added to this process's, and waits until it listens.
func Start(bin, db string, env ...string) (*Server, error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	// The access log is off: a line per request would measure the log pipe, not the server.
	cmd.Env = append(os.Environ(), "DISPUTED_ADMIN_KEY="+AdminKey, "DISPUTED_SECRET_KEY="+SecretKey, "DISPUTED_ACCESS_LOG=off")
	cmd.Env = append(cmd.Env, env...)
	logs, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256 // every client goroutine keeps its connection
	s := &Server{cmd: cmd, exited: make(chan error, 1), Client: &http.Client{Transport: tr, Timeout: time.Minute}}
	addr := make(chan string, 1)
	go s.readLogs(logs, addr)
	go func() { s.exited <- cmd.Wait() }()
	select {
	case a := <-addr:
		s.URL = "http://" + a
	case err := <-s.exited:
		return nil, fmt.Errorf("disputed serve exited before listening: %v", err)
	case <-time.After(2 * time.Minute): // migrations of a large database take a while
		_ = s.Stop()
		return nil, errors.New("disputed serve did not listen within 2 minutes")
	}
	return s, nil
}

// readLogs passes the server's JSON log lines to stderr and reports the address it listens on.
func (s *Server) readLogs(logs io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(logs)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
			addr <- line.Addr
			continue
		}
		fmt.Fprintf(os.Stderr, "server: %s\n", sc.Bytes())
	}
}

// Post sends body as JSON to path with the admin key and fails unless the answer is 2xx.
func (s *Server) Post(ctx context.Context, path string, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+AdminKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode/100 != 2 {
		err = fmt.Errorf("POST %s: %d %s", path, res.StatusCode, answer)
	}
	return err
}

// Get reads path with the admin key and fails unless the answer is 200.
func (s *Server) Get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+AdminKey)
	res, err := s.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d %s", path, res.StatusCode, body)
	}
	return body, err
}

// PeakRSS is the most memory the server's process has held resident (VmHWM), in bytes.
func (s *Server) PeakRSS() (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc/PID/status")
}

// CPUTime is the processor time the server has used so far, user and system. On a machine that
// other work shares, it says more about the server's cost than the time a run took.
func (s *Server) CPUTime() (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command's name, which is in parentheses and may hold spaces: utime
	// and stime are the 12th and 13th of them, in clock ticks of 1/100 s (USER_HZ on Linux).
	_, rest, ok := strings.Cut(string(stat), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0, errors.New("unexpected /proc/PID/stat")
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

// Stop asks the server to stop (SIGTERM), as an operator would, and waits for it to exit.
func (s *Server) Stop() error {
	s.Client.CloseIdleConnections()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.exited:
		return err
	case <-time.After(time.Minute):
		_ = s.cmd.Process.Kill()
		return errors.New("disputed serve did not stop within a minute of SIGTERM")
	}
}
