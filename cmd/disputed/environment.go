package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"disputed/internal/gcpolicy"
)

// envVar is an environment variable the server reads: its name, its default ("" for none) and
// what it does, as `disputed serve --help` prints it.
type envVar struct {
	Name, Default, What string
}

// environment is every variable the server reads. Readers take their defaults from here
// (envValue), so that the help cannot say one default while the code uses another; a test
// checks that every DISPUTED_ name in the code is listed.
var environment = []envVar{
	{"DISPUTED_ADDR", "127.0.0.1:8080", "listen address (--addr)"},
	{"DISPUTED_DATABASE_URL", "disputed.db", "a SQLite file, or a postgres:// URL (--db)"},
	{"DISPUTED_LOG_LEVEL", "info", "debug, info, warn or error; JSON logs on stderr (--log-level)"},
	{"DISPUTED_ACCESS_LOG", "on", "on: a log line per request at info (method, path without its query, status, bytes, duration_ms, client, request_id, actor); off"},
	{"DISPUTED_ADMIN_KEY", "", "an admin API key with exactly this secret exists (16 characters or more); once revoked it stays revoked"},
	{"DISPUTED_SECRET_KEY", "", "seals the secrets kept in the database: base64 of 32 bytes (openssl rand -base64 32); new,old while rotating (the first seals, all open); unset: generated into <database>.key beside a SQLite file, or disputed.key in the working directory for PostgreSQL"},
	{"DISPUTED_PUBLIC_URL", "", "where people reach the server; https://… marks cookies Secure and sends Strict-Transport-Security"},
	{"DISPUTED_SMTP_URL", "", "where customer emails go: smtp://user:pass@host:587 (STARTTLS), smtps://…:465; ?from=, ?tls="},
	{"DISPUTED_WEBHOOK_ALLOW_PRIVATE", "", "1: panels, webhooks and provider APIs may reach private and loopback addresses, never link-local or metadata ones; or a list of prefixes (10.0.0.0/8,169.254.169.254/32) opening exactly those; empty: public addresses only"},
	{"DISPUTED_STRIPE_WEBHOOK_SECRET", "", "configures a provider named stripe at start"},
	{"DISPUTED_STRIPE_API_KEY", "", "that provider's API key, to push evidence and concessions to Stripe"},
	{"DISPUTED_STRIPE_API_BASE", "", "that provider's API: https://…, or http:// to this machine only (stripe-mock); empty for Stripe's own"},
	{"DISPUTED_RATE_LIMIT", "1000:2000", "requests per API key, RATE:BURST (a second on average, at once), or off"},
	{"DISPUTED_IP_RATE_LIMIT", "50:500", "the same per client address, for what no valid key pays for, or off"},
	{"DISPUTED_READ_HEADER_TIMEOUT", "10s", "a request's headers must have arrived by then"},
	{"DISPUTED_READ_TIMEOUT", "1m", "the whole request, body included, must have arrived by then"},
	{"DISPUTED_WRITE_TIMEOUT", "2m", "from the end of the headers to the end of the answer"},
	{"DISPUTED_IDLE_TIMEOUT", "30s", "how long a kept-alive connection waits for its next request"},
	{"DISPUTED_MAX_CONNECTIONS", "1024", "connections open at once; a new one replaces the idlest kept-alive one"},
	{"DISPUTED_CPU_PROFILE", "", "write the server's CPU profile to this file until it stops"},
	{"GOGC", strconv.Itoa(gcpolicy.Percent), "Go's garbage collector: the heap's growth in percent that starts a collection (Go's own default is 100); GOMEMLIMIT, Go's soft memory limit, is unset unless you set it"},
}

// envValue is the variable's value, or its default from the table.
func envValue(getenv func(string) string, name string) string {
	if v := getenv(name); v != "" {
		return v
	}
	for _, e := range environment {
		if e.Name == name {
			return e.Default
		}
	}
	panic("environment variable " + name + " is not in the table of cmd/disputed/environment.go")
}

// printEnvironment writes the table for --help.
func printEnvironment(out io.Writer) {
	fmt.Fprintln(out, "\nEnvironment variables (a flag, where there is one, wins):")
	tw := tabwriter.NewWriter(out, 2, 8, 2, ' ', 0)
	for _, e := range environment {
		def := e.Default
		if def != "" {
			def = "default " + def
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", e.Name, def, e.What)
	}
	_ = tw.Flush()
}
