package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestServeHelpListsEnvironment: `serve --help` names every environment variable the server
// reads while it starts and runs, so that none is a secret of the source code.
func TestServeHelpListsEnvironment(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	read := map[string]bool{}
	vars := map[string]string{"DISPUTED_DATABASE_URL": filepath.Join(t.TempDir(), "disputed.db"),
		"DISPUTED_STRIPE_WEBHOOK_SECRET": stripeSecret, "DISPUTED_ADMIN_KEY": testAdminKey}
	m := NewMain(func(k string) string {
		mu.Lock()
		defer mu.Unlock()
		read[k] = true
		return vars[k]
	}, &bytes.Buffer{})
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"serve", "--help"}, envOf(nil), &out, &out); err != nil {
		t.Fatalf("serve --help: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for name := range read {
		if !strings.Contains(out.String(), "\n  "+name+" ") {
			t.Errorf("serve --help does not list %s:\n%s", name, out.String())
		}
	}
	if len(read) < 10 {
		t.Fatalf("the server read only %d variables: %v", len(read), read)
	}
}
