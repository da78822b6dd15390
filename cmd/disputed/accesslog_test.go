package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// accessLines returns the access log lines in a server's JSON log.
func accessLines(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		if m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out
}

// TestAccessLog checks the line each request writes by default: method, the path without its
// query (which may hold an email or a token), status, bytes, duration, client address, the
// request id the answer carries in X-Request-Id, and the key that asked; and that
// DISPUTED_ACCESS_LOG=off writes none.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	s := startConfigured(t, t.TempDir()+"/disputed.db", func(m *Main) { m.logOut = &logs }, map[string]string{"DISPUTED_LOG_LEVEL": "info"})
	r := s.get("/v1/disputes?q=ada%40example.com")
	want(t, r, 200)
	id := r.header.Get("X-Request-Id")
	want(t, s.call(http.MethodGet, "/v1/nothing", nil, "X-Request-Id", "proxy-req-7"), 404)
	want(t, s.call(http.MethodGet, "/healthz", nil, "X-Request-Id", "forged \"line\" {}"), 200)

	lines := accessLines(t, logs.String())
	byID := map[string]map[string]any{}
	for _, l := range lines {
		byID[l["request_id"].(string)] = l
	}
	l, ok := byID[id]
	if id == "" || !ok {
		t.Fatalf("no line with the request id %q the answer carried: %v", id, lines)
	}
	keyID := s.adminKeyID()
	if l["method"] != "GET" || l["path"] != "/v1/disputes" || l["status"] != float64(200) || l["bytes"] != float64(len(r.raw)) ||
		l["actor"] != "admin:"+keyID || l["level"] != "INFO" {
		t.Errorf("the line of GET /v1/disputes: %v", l)
	}
	if _, ok := l["duration_ms"].(float64); !ok || !strings.HasPrefix(l["client"].(string), "127.0.0.1:") {
		t.Errorf("duration or client missing: %v", l)
	}
	if strings.Contains(logs.String(), "ada@example.com") {
		t.Errorf("the query is in the log")
	}
	if p := byID["proxy-req-7"]; p == nil || p["status"] != float64(404) || p["path"] != "/v1/nothing" {
		t.Errorf("a request id set by a proxy is not kept: %v", lines)
	}
	for _, l := range lines {
		if strings.Contains(l["request_id"].(string), "forged") {
			t.Errorf("an implausible request id was kept: %v", l)
		}
	}

	var quiet lockedBuffer
	off := startConfigured(t, t.TempDir()+"/disputed.db", func(m *Main) { m.logOut = &quiet },
		map[string]string{"DISPUTED_LOG_LEVEL": "info", "DISPUTED_ACCESS_LOG": "off"})
	want(t, off.get("/v1/disputes"), 200)
	if n := len(accessLines(t, quiet.String())); n != 0 {
		t.Errorf("DISPUTED_ACCESS_LOG=off wrote %d access lines", n)
	}
	if err := NewMain(envOf(map[string]string{"DISPUTED_ACCESS_LOG": "yes"}), io.Discard).ParseFlags(nil); err == nil ||
		!strings.Contains(err.Error(), "DISPUTED_ACCESS_LOG") {
		t.Errorf("DISPUTED_ACCESS_LOG=yes: %v", err)
	}
}
