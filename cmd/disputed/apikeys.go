package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/store"
)

const apikeyUsage = `usage:
  disputed apikey create --role admin|agent|buyer|vendor [--party ID] [--name NAME] [--db …]
  disputed apikey list [--db …]
  disputed apikey revoke [--db …] ID`

// apikey runs the API key subcommands: create prints a new key's secret, once; list shows every
// key without its secret; revoke stops one from working. They act as the system (revoked_by
// "system"): whoever may run them can read the database anyway.
func apikey(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", apikeyUsage)
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, apikeyUsage)
		return nil
	case "create":
		return apikeyCreate(ctx, args[1:], getenv, stdout)
	case "list":
		return apikeyList(ctx, args[1:], getenv, stdout)
	case "revoke":
		return apikeyRevoke(ctx, args[1:], getenv, stdout)
	}
	return fmt.Errorf("unknown apikey command %q\n%s", args[0], apikeyUsage)
}

func apikeyCreate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("apikey create", stdout)
	role := fs.String("role", "", "admin, agent, buyer or vendor")
	party := fs.String("party", "", "buyer keys: the customer id; vendor keys: the vendor id")
	name := fs.String("name", "", "a label for the key")
	db := dbFlag(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withAccess(ctx, *db, getenv, changing, func(a *access.Service) error {
		secret, k, err := a.CreateAPIKey(ctx, actor.System, access.APIKeyParams{Role: *role, PartyID: *party, Name: *name})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", secret)
		fmt.Fprintf(stdout, "# key %s, role %s; the secret is shown only now\n", k.ID, k.Role)
		return nil
	})
}

// apikeyList prints every key, newest first, as a table.
func apikeyList(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("apikey list", stdout)
	db := dbFlag(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withAccess(ctx, *db, getenv, reading, func(a *access.Service) error {
		keys, _, err := a.APIKeys(ctx, actor.System, store.Page{}) // no limit: all of them
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tPARTY\tPREFIX\tNAME\tCREATED\tREVOKED")
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, orDash(k.PartyID), k.Prefix, orDash(k.Name),
				k.CreatedAt.Format(time.RFC3339), revocation(k))
		}
		return tw.Flush()
	})
}

// revocation says when and by whom a key was revoked, or "-".
func revocation(k store.APIKey) string {
	if !k.Revoked() {
		return "-"
	}
	return k.RevokedAt.Format(time.RFC3339) + " by " + k.RevokedBy
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// apikeyRevoke revokes the key with the id given (before or after the flags).
func apikeyRevoke(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("apikey revoke", stdout)
	db := dbFlag(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("which key? %s", apikeyUsage)
	}
	id := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	return withAccess(ctx, *db, getenv, changing, func(a *access.Service) error {
		k, err := a.RevokeAPIKey(ctx, actor.System, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "key %s (%s, %s) revoked %s\n", k.ID, k.Role, orDash(k.Name), revocation(k))
		return nil
	})
}
