package main

import (
	"strings"
	"testing"
)

// TestSecurityExampleAdminKeyWarnsLoudly starts the server with a "change me" admin key, the kind
// examples publish and newcomers copy: the server still starts, and its log says at error level
// that the key is public and must be replaced. A key of one's own starts without that line.
func TestSecurityExampleAdminKeyWarnsLoudly(t *testing.T) {
	t.Parallel()
	const example = "sk_admin_change_me_0123456789"
	eachStoreDB(t, func(t *testing.T, db string) {
		var logs lockedBuffer
		s := startConfigured(t, db, func(m *Main) { m.logOut = &logs }, map[string]string{"DISPUTED_ADMIN_KEY": example})
		want(t, s.as(example).get("/v1/disputes"), 200)
		line := lineWith(logs.String(), "example secret published in the README")
		if line == "" || !strings.Contains(line, `"level":"ERROR"`) {
			t.Fatalf("no error-level warning about the README's admin key %s in the log:\n%s", example, logs.String())
		}
		if strings.Contains(logs.String(), example) {
			t.Errorf("the warning repeats the secret itself in the log")
		}

		var own lockedBuffer
		startConfigured(t, db, func(m *Main) { m.logOut = &own }, map[string]string{"DISPUTED_ADMIN_KEY": "sk_5f0c3e9a41d27b86e0a4c1f9d3b2"})
		if lineWith(own.String(), "example secret") != "" {
			t.Errorf("a key of one's own is called an example:\n%s", own.String())
		}
	})
}

// lineWith returns the first line of text that contains substr, or "".
func lineWith(text, substr string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, substr) {
			return line
		}
	}
	return ""
}
