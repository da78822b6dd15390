package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestServeHelpListsTheEnvironment: every DISPUTED_ variable the server's code reads is in
// `serve --help` (the tests' own are not the server's).
func TestServeHelpListsTheEnvironment(t *testing.T) {
	var out bytes.Buffer
	_ = run(context.Background(), []string{"serve", "--help"}, envOf(nil), &out, &out)
	help := out.String()
	files, _ := filepath.Glob("*.go")
	files = append(files, "../../internal/outbound/outbound.go")
	name := regexp.MustCompile(`"(DISPUTED_[A-Z_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllStringSubmatch(string(src), -1) {
			if !strings.Contains(help, m[1]) {
				t.Errorf("%s reads %s, which serve --help does not list:\n%s", f, m[1], help)
			}
		}
	}
}
