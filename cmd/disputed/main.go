// Command disputed is the payment-dispute server: `serve` runs the API, `migrate` brings the
// database schema up to date, `apikey` creates, lists and revokes API keys, `user` manages the
// web UI's users, `provider` adds payment providers, `import` imports a provider's history,
// `backup` copies the SQLite database while the server runs, `restore` puts a backup back in
// place (the server stopped), `version` prints the version.
// Configuration is read here and nowhere else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"disputed/internal/gcpolicy"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `disputed: payment-dispute and chargeback management server

usage:
  disputed serve [--addr 127.0.0.1:8080] [--db disputed.db | --db postgres://…]
  disputed migrate [--db …]
  disputed apikey create --role admin|agent|buyer|vendor [--party ID] [--name NAME] [--db …]
      (prints the new key's secret, once)
  disputed apikey list [--db …]
  disputed apikey revoke [--db …] ID
  disputed user create --email E --role admin|agent|buyer|vendor [--party ID] [--db …]
      (the password is read from standard input)
  disputed user list [--db …]
  disputed user disable|enable|delete|sign-out [--db …] ID|EMAIL
  disputed user reset-password [--db …] ID|EMAIL
      (the new password is read from standard input; every change but enable ends the user's sessions)
  disputed provider add --name NAME --type TYPE [--api-key K] [--api-base URL] [--webhook-id ID] [--db …]
      (the webhook secret is read from standard input, or from --webhook-secret-env VAR;
      TYPE: disputed provider add --help lists them)
  disputed import NAME [--since 2025-01-01] [--db …]
      (imports the history of the provider configured as NAME, with a progress bar; resumes one left running)
  disputed backup FILE [--force] [--db …]
      (a consistent copy of the SQLite database while the server runs; PostgreSQL: pg_dump, as it says)
  disputed restore FILE [--db …]
      (replaces the SQLite database with a backup, migrated up to date; refused while a server uses it)
  disputed version
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Here, not in the server's Run: tests run many servers in one process, under Go's defaults.
	gcpolicy.Apply(os.Getenv)
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "disputed:", err)
		}
		os.Exit(2)
	}
}

var errUsage = errors.New("usage")

// run dispatches a subcommand; the environment comes in as getenv so that tests can set it. A
// --help anywhere prints the usage asked for, on standard output, and succeeds.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) { // the flag set printed its usage
		return nil
	}
	return err
}

func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		m := NewMain(getenv, stderr)
		if err := m.ParseFlags(args[1:]); err != nil {
			return err
		}
		if err := m.Run(ctx); err != nil {
			return err
		}
		<-ctx.Done()
		return m.Close()
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout)
	case "apikey":
		return apikey(ctx, args[1:], getenv, stdout)
	case "provider":
		return providerAdd(ctx, args[1:], getenv, os.Stdin, stdout)
	case "user":
		return user(ctx, args[1:], getenv, os.Stdin, stdout)
	case "import":
		return importHistory(ctx, args[1:], getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], getenv, stdout)
	case "restore":
		return restore(ctx, args[1:], getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, "disputed", version)
		return nil
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

// isHelp reports whether a command group's first argument asks for its usage.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }
