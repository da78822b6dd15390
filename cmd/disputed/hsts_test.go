package main

import (
	"net/http"
	"testing"
)

// TestSecurityHSTSWhenPublicURLIsHTTPS: with an https:// public URL every answer, of the API and
// of the web UI, errors included, carries Strict-Transport-Security; with an http:// one, or
// none, no answer does (it would lock browsers out of a server that has no https).
func TestSecurityHSTSWhenPublicURLIsHTTPS(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		for url, want := range map[string]string{"https://disputes.example": "max-age=31536000", "http://127.0.0.1:8080": "", "": ""} {
			s := startServerOn(t, db, map[string]string{"DISPUTED_PUBLIC_URL": url})
			anonymous := s.as("")
			for what, r := range map[string]response{
				"API":            s.get("/v1/disputes"),
				"API 404":        s.get("/v1/disputes/dsp_nope"),
				"API 401":        anonymous.get("/v1/disputes"),
				"health":         anonymous.get("/healthz"),
				"sign-in page":   anonymous.get("/login"),
				"UI redirect":    anonymous.get("/disputes"),
				"unknown page":   anonymous.get("/no-such-page"),
				"provider event": anonymous.call(http.MethodPost, "/v1/providers/none/webhook", []byte(`{}`)),
			} {
				if got := r.header.Get("Strict-Transport-Security"); got != want {
					t.Errorf("DISPUTED_PUBLIC_URL=%q: the %s answer (%d) carries Strict-Transport-Security %q, want %q", url, what, r.status, got, want)
				}
			}
		}
	})
}
