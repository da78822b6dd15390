package main

import (
	"flag"
	"fmt"
)

// serveEnvironment is every environment variable serve reads, as `serve --help` lists them (the
// README's Configuration table says more).
const serveEnvironment = `
environment:
  DISPUTED_ADDR, DISPUTED_DATABASE_URL, DISPUTED_LOG_LEVEL   the flags above
  DISPUTED_ADMIN_KEY            an admin API key with exactly this secret exists (16 characters or more)
  DISPUTED_SECRET_KEY           seals the secrets kept in the database: base64 of 32 bytes
                                (openssl rand -base64 32); "new,old" while rotating: the first seals,
                                all open. Unset on SQLite: generated into <database>.key on first
                                start; required on PostgreSQL
  DISPUTED_CPU_PROFILE          write the CPU profile to this file until the server stops
  DISPUTED_SMTP_URL             where customer emails go: smtp://user:pass@host:587, smtps://…:465
  DISPUTED_WEBHOOK_ALLOW_PRIVATE  1 lets panel calls and webhooks reach loopback and private addresses
  DISPUTED_PUBLIC_URL           where people reach the server; https://… marks the UI's cookies Secure
  DISPUTED_STRIPE_WEBHOOK_SECRET, DISPUTED_STRIPE_API_KEY, DISPUTED_STRIPE_API_BASE
                                configure a provider named stripe at start
  DISPUTED_RATE_LIMIT           requests per API key, RATE:BURST or off (default 1000:2000)
  DISPUTED_IP_RATE_LIMIT        the same per client address, for what no valid key pays for (50:500)
  DISPUTED_READ_HEADER_TIMEOUT, DISPUTED_READ_TIMEOUT, DISPUTED_WRITE_TIMEOUT, DISPUTED_IDLE_TIMEOUT
                                the HTTP server's timeouts (10s, 1m, 2m, 2m)
  DISPUTED_MAX_CONNECTIONS      connections open at once (1024)
`

// serveUsage prints the flags of fs and then the environment.
func serveUsage(fs *flag.FlagSet) func() {
	return func() {
		fmt.Fprintln(fs.Output(), "usage: disputed serve [flags]")
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), serveEnvironment)
	}
}
