package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
)

// serveEnvironment is every environment variable `disputed serve` reads, as `serve --help`
// lists them; the README's Configuration table says more.
var serveEnvironment = [][2]string{
	{"DISPUTED_ADDR", "listen address (--addr); default 127.0.0.1:8080"},
	{"DISPUTED_DATABASE_URL", "a SQLite file or a postgres:// URL (--db); default disputed.db"},
	{"DISPUTED_LOG_LEVEL", "debug, info, warn or error (--log-level); default info"},
	{"DISPUTED_ADMIN_KEY", "an admin API key with exactly this secret exists (16 characters or more)"},
	{"DISPUTED_CPU_PROFILE", "write the server's CPU profile to this file until it stops"},
	{"DISPUTED_SMTP_URL", "where customer emails go: smtp://user:pass@host:587 (STARTTLS) or smtps://…:465"},
	{"DISPUTED_WEBHOOK_ALLOW_PRIVATE", "1: panels, webhooks and provider APIs may reach private and loopback addresses, never link-local or metadata ones; or a list of prefixes (10.0.0.0/8,169.254.169.254/32) opening exactly those; default public addresses only"},
	{"DISPUTED_PUBLIC_URL", "where people reach the server; https://… marks cookies Secure and sends Strict-Transport-Security"},
	{"DISPUTED_STRIPE_WEBHOOK_SECRET", "configures a provider named stripe at start"},
	{"DISPUTED_STRIPE_API_KEY", "that provider's secret key, to answer disputes"},
	{"DISPUTED_STRIPE_API_BASE", "that provider's API: https://…, or http:// to this machine only (stripe-mock)"},
	{"DISPUTED_RATE_LIMIT", "requests per API key, RATE:BURST or off; default 1000:2000"},
	{"DISPUTED_IP_RATE_LIMIT", "requests per client address without a valid key, RATE:BURST or off; default 50:500"},
	{"DISPUTED_READ_HEADER_TIMEOUT", "a request's headers must arrive within this; default 10s"},
	{"DISPUTED_READ_TIMEOUT", "a whole request must arrive within this; default 1m"},
	{"DISPUTED_WRITE_TIMEOUT", "from the end of the headers to the end of the answer; default 2m"},
	{"DISPUTED_IDLE_TIMEOUT", "how long a kept-alive connection waits for its next request; default 30s"},
	{"DISPUTED_MAX_CONNECTIONS", "connections open at once; a new one replaces the idlest kept-alive one; default 1024"},
}

// serveUsage prints the flags of fs and then the environment.
func serveUsage(fs *flag.FlagSet) func() {
	return func() {
		out := fs.Output()
		fmt.Fprintln(out, "Usage: disputed serve [flags]\n\nFlags:")
		fs.PrintDefaults()
		fmt.Fprintln(out, "\nEnvironment:")
		printEnvironment(out)
	}
}

func printEnvironment(out io.Writer) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, v := range serveEnvironment {
		fmt.Fprintf(tw, "  %s\t%s\n", v[0], v[1])
	}
	_ = tw.Flush()
}
