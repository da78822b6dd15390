package main

import "testing"

// TestOpenAPIServers: the document's servers entry is the address clients reach the process at,
// DISPUTED_PUBLIC_URL when set, else the listener's. (The rest of the document is tested beside
// internal/httpapi.)
func TestOpenAPIServers(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", map[string]string{"DISPUTED_PUBLIC_URL": "https://disputes.example.com/"})
	doc := s.get("/openapi.json")
	want(t, doc, 200)
	servers, _ := doc.get("servers").([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != "https://disputes.example.com" {
		t.Errorf("servers = %v, want the public URL", doc.get("servers"))
	}
	local := startServer(t, "sqlite", nil)
	if got, _ := local.get("/openapi.json").get("servers").([]any); len(got) != 1 || got[0].(map[string]any)["url"] != local.base {
		t.Errorf("servers of a server without a public URL = %v, want %s", got, local.base)
	}
}
