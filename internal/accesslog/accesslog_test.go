package accesslog

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestHandler checks a line: the status of the answer, not of an informational 1xx before it;
// the bytes written; the actor a handler set; the request id sent back.
func TestHandler(t *testing.T) {
	var out bytes.Buffer
	h := Handler(slog.New(slog.NewJSONHandler(&out, nil)), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetActor(r.Context(), "admin:key_1")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte("hello"))
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush through the recorder: %v", err)
		}
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Post(srv.URL+"/v1/x?email=a%40b.c", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	srv.Close() // the line is written once the handler returned
	var line map[string]any
	if err := json.Unmarshal(out.Bytes(), &line); err != nil {
		t.Fatalf("%v: %s", err, out.Bytes())
	}
	if line["status"] != float64(201) || line["bytes"] != float64(5) || line["actor"] != "admin:key_1" || line["path"] != "/v1/x" ||
		line["request_id"] != res.Header.Get(Header) || res.Header.Get(Header) == "" || res.StatusCode != http.StatusCreated {
		t.Errorf("line %v, X-Request-Id %q", line, res.Header.Get(Header))
	}
	SetActor(t.Context(), "nobody") // outside a logged request: nothing happens
}

func TestPlausibleID(t *testing.T) {
	for id, want := range map[string]bool{"abc-DEF_1.2": true, "": false, "a b": false, "a\"b": false,
		string(make([]byte, 65)): false, "0123456789012345678901234567890123456789012345678901234567890123": true} {
		if plausibleID(id) != want {
			t.Errorf("plausibleID(%q) = %v", id, !want)
		}
	}
}
