package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
)

// migrate brings the schema up to date and exits.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("migrate", stdout)
	db := dbFlag(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "database is up to date:", redact(*db))
	return st.Close()
}

// apikey creates an API key and prints its secret, once.
func apikey(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: disputed apikey create --role admin|agent|buyer|vendor [--party ID] [--name NAME]")
	}
	fs := newFlagSet("apikey create", stdout)
	role := fs.String("role", "", "admin, agent, buyer or vendor")
	party := fs.String("party", "", "buyer keys: the customer id; vendor keys: the vendor id")
	name := fs.String("name", "", "a label for the key")
	db := dbFlag(fs, getenv)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	a := app.New(st, app.Options{Presenter: httpapi.Presenter{Now: time.Now}})
	secret, k, err := a.CreateAPIKey(ctx, actor.Role(*role), *party, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", secret)
	fmt.Fprintf(stdout, "# key %s, role %s; the secret is shown only now\n", k.ID, k.Role)
	return nil
}
