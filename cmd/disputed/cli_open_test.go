package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"disputed/internal/store/pgtest"
)

// TestCommandsCreateNoDatabase runs, in an empty folder, as someone in the wrong folder would,
// the commands that only read, which say there is no database, and changes that are refused:
// none leaves anything in the folder. A change that succeeds creates the database, as the
// server would. Against PostgreSQL without DISPUTED_SECRET_KEY, the commands do not generate
// ./disputed.key (only the server may) and say the key is missing.
func TestCommandsCreateNoDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	env := envOf(map[string]string{"X": "s"})
	for _, args := range [][]string{{"apikey", "list"}, {"user", "list"}} {
		err := run(context.Background(), args, env, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "no database at "+filepath.Join(dir, "disputed.db")) {
			t.Errorf("%v: %v, want no database at …/disputed.db", args, err)
		}
	}
	for _, args := range [][]string{
		{"apikey", "create", "--role", "root"},
		{"apikey", "create", "--role", "buyer"},
		{"apikey", "revoke", "key_x"},
		{"user", "disable", "ada@example.com"},
		{"provider", "add", "--name", "feed", "--type", "bitcoin", "--webhook-secret-env", "X"},
	} {
		if err := run(context.Background(), args, env, io.Discard, io.Discard); err == nil {
			t.Errorf("%v was not refused", args)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the commands left %v in an empty folder", entries)
	}
	if err := run(context.Background(), []string{"apikey", "create", "--role", "admin"}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"disputed.db", "disputed.db.key"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("a key created in an empty folder: %v", err)
		}
	}
	// On a database made by migrate, which needs no key, a refused change keeps the key it
	// generated: the database's key check is sealed under it now.
	if err := run(context.Background(), []string{"migrate", "--db", "migrated.db"}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"apikey", "revoke", "key_x", "--db", "migrated.db"}, env, io.Discard, io.Discard); err == nil {
		t.Fatal("revoking an unknown key was not refused")
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"apikey", "list", "--db", "migrated.db"}, env, &out, io.Discard); err != nil {
		t.Errorf("the migrated database after a refused change: %v", err)
	}

	pg := pgtest.Database(t)
	for _, args := range [][]string{{"apikey", "list", "--db", pg}, {"apikey", "create", "--role", "admin", "--db", pg}, {"user", "list", "--db", pg}} {
		err := run(context.Background(), args, envOf(nil), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "no secret key") || !strings.Contains(err.Error(), "DISPUTED_SECRET_KEY") {
			t.Errorf("%v: %v, want no secret key", args, err)
		}
	}
	if _, err := os.Stat(postgresKeyFile); err == nil {
		t.Errorf("a command on PostgreSQL generated %s", postgresKeyFile)
	}
	// With the key, they work on the same database.
	out.Reset()
	if err := run(context.Background(), []string{"apikey", "list", "--db", pg}, envOf(map[string]string{secretKeyEnv: testSecretKey}), &out, io.Discard); err != nil ||
		!strings.HasPrefix(out.String(), "ID") {
		t.Errorf("apikey list with the key: %v %q", err, out.String())
	}
}

// TestCommandsHelp asks every command and command group for --help: each prints its usage and
// succeeds, without "flag: help requested" or "unknown command".
func TestCommandsHelp(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"--help"}, "disputed serve"},
		{[]string{"serve", "--help"}, "DISPUTED_ADMIN_KEY"},
		{[]string{"serve", "-h"}, "-addr"},
		{[]string{"migrate", "--help"}, "-db"},
		{[]string{"apikey", "--help"}, "disputed apikey create"},
		{[]string{"apikey", "help"}, "disputed apikey revoke"},
		{[]string{"apikey", "create", "--help"}, "-role"},
		{[]string{"apikey", "list", "--help"}, "-db"},
		{[]string{"apikey", "revoke", "--help"}, "-db"},
		{[]string{"user", "--help"}, "disputed user reset-password"},
		{[]string{"user", "create", "--help"}, "-email"},
		{[]string{"user", "list", "-h"}, "-db"},
		{[]string{"user", "disable", "--help"}, "-db"},
		{[]string{"provider", "--help"}, "disputed provider add"},
		{[]string{"provider", "add", "--help"}, "-webhook-secret-env"},
		{[]string{"import", "--help"}, "NAME is the provider as configured"},
		{[]string{"import", "stripe", "--help"}, "-since"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, envOf(nil), &out, &errOut)
		all := out.String() + errOut.String()
		if err != nil || !strings.Contains(all, tt.says) || strings.Contains(all, "help requested") || strings.Contains(all, "unknown") {
			t.Errorf("%v: %v, printed %q; want the usage with %q", tt.args, err, all, tt.says)
		}
	}
}
