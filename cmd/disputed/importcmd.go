package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/server"
	"disputed/internal/store"
)

const importUsage = `usage:
  disputed import NAME [--since 2025-01-01] [--db …]
      NAME is the provider as configured (disputed provider add --name NAME), e.g. stripe or my-stripe.
      Reads the provider's payments, refunds, disputes and warnings created since the date (all of them
      without --since) and records them as the provider's events. An import left running by a process
      that was stopped or killed is resumed from its last page.`

// importOutboundTimeout bounds one call to the provider's API.
const importOutboundTimeout = time.Minute

// importHistory runs a provider's history import in the foreground, with a progress bar on
// stderr: a new one, or the one a stopped or killed process left running. Stopped (Ctrl-C), it
// stays running, and the same command resumes it.
func importHistory(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, importUsage)
		return nil
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("%s", importUsage)
	}
	name := args[0]
	fs := newFlagSet("import", stdout)
	sinceFlag := fs.String("since", "", "read what was created since this date (2025-01-01, UTC) or RFC 3339 time; empty for all")
	db := dbFlag(fs, getenv)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	since, err := app.ParseSince(*sinceFlag)
	if err != nil {
		return err
	}
	return withStore(ctx, *db, getenv, changing, func(st store.Store) error {
		a := app.New(st, app.Options{Presenter: httpapi.Presenter{Now: time.Now}, Providers: server.ProviderTypes(),
			Outbound: &http.Client{Timeout: importOutboundTimeout}})
		imp, resumed, err := a.OpenImport(ctx, actor.System, name, since)
		if err != nil {
			return err
		}
		if resumed {
			if *sinceFlag != "" && !imp.Since.Equal(since) {
				return fmt.Errorf("an import of %s since %s is running (%s): run the command without --since to resume it", name, sinceText(imp.Since), imp.ID)
			}
			fmt.Fprintf(stdout, "resuming import %s of %s since %s: %d objects read before\n", imp.ID, name, sinceText(imp.Since), imp.Read)
		}
		bar := progressbar.NewOptions64(-1, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("importing "+name),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("objects"),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSpinnerType(14), progressbar.OptionFullWidth())
		err = a.RunImport(ctx, imp.ID, func(p app.ImportProgress) {
			if p.LastType != "" {
				bar.Describe("importing " + name + ": " + p.LastType)
			}
			_ = bar.Add(p.Page)
		})
		_ = bar.Finish()
		fmt.Fprintln(stderr)
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stdout, "import %s stopped; run the same command to resume it\n", imp.ID)
			return nil
		}
		if err != nil {
			return fmt.Errorf("import %s: %w", imp.ID, err)
		}
		done, err := a.ProviderImport(ctx, actor.System, name, imp.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "import %s of %s %s: %d objects read, %d new events\n", done.ID, name, done.State, done.Read, done.Appended)
		// The events are in the inbox; a running server applies them too, and each once.
		applied, err := a.ApplyProviderEvents(ctx)
		if err != nil {
			return fmt.Errorf("applying the imported events: %w", err)
		}
		fmt.Fprintf(stdout, "%d events applied, %d failed (GET /v1/provider_events?state=failed)\n", applied.Applied, applied.Failed)
		return nil
	})
}

// sinceText is an import's since for people.
func sinceText(t time.Time) string {
	if t.IsZero() {
		return "the start"
	}
	return t.Format(time.RFC3339)
}
