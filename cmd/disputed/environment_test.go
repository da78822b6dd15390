package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestServeHelpListsEveryEnvironmentVariable reads every DISPUTED_ name in the server's code (and
// Go's GOGC, whose default the server sets: gcpolicy) and
// checks that `disputed serve --help` lists it, so that a variable added without its line in the
// table (environment.go) fails here. The test harness's own variables (pgtest) are not the
// server's.
func TestServeHelpListsEveryEnvironmentVariable(t *testing.T) {
	t.Parallel()
	var help bytes.Buffer
	err := run(t.Context(), []string{"serve", "--help"}, func(string) string { return "" }, &help, &help)
	if err != nil {
		t.Fatalf("serve --help: %v", err)
	}
	name := regexp.MustCompile(`"(DISPUTED_[A-Z0-9_]+|GOGC)"`)
	found := map[string]string{}
	for _, root := range []string{".", "../../internal"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
				strings.Contains(filepath.ToSlash(path), "store/pgtest/") {
				return err
			}
			src, err := os.ReadFile(path)
			for _, m := range name.FindAllSubmatch(src, -1) {
				found[string(m[1])] = path
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(found) < 15 {
		t.Fatalf("only %d variables found in the code: %v", len(found), found)
	}
	for v, path := range found {
		if !regexp.MustCompile(`(?m)^  ` + v + `\s`).MatchString(help.String()) {
			t.Errorf("%s (read in %s) is not listed by serve --help:\n%s", v, path, help.String())
		}
	}
	for _, e := range environment {
		if _, ok := found[e.Name]; !ok {
			t.Errorf("serve --help lists %s, which the server never reads", e.Name)
		}
	}
}
