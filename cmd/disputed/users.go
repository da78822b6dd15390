package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/store"
)

const userUsage = `usage:
  disputed user create --email E --role admin|agent|buyer|vendor [--party ID] [--db …] < password
  disputed user list [--db …]
  disputed user disable|enable|delete|sign-out [--db …] ID|EMAIL
  disputed user reset-password [--db …] ID|EMAIL < password`

// user runs the web UI's user subcommands. Passwords come from standard input (its first line),
// never from the command line, where other users of the machine could read them. They act as the
// system: whoever may run them can read the database anyway. Every change but enable ends the
// user's sessions at once.
func user(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", userUsage)
	}
	switch cmd := args[0]; cmd {
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, userUsage)
		return nil
	case "create":
		return userCreate(ctx, args[1:], getenv, stdin, stdout)
	case "list":
		return userList(ctx, args[1:], getenv, stdout)
	default:
		c, ok := userChanges[cmd]
		if !ok {
			return fmt.Errorf("unknown user command %q\n%s", cmd, userUsage)
		}
		return userChange(ctx, cmd, c, args[1:], getenv, stdin, stdout)
	}
}

// userChangeFn is a use case that changes one user.
type userChangeFn = func(context.Context, actor.Actor, string) (store.User, error)

// userChangeCmd is a subcommand that changes one user: its use case, and what it says once done.
type userChangeCmd struct {
	act  func(a *access.Service, stdin io.Reader) userChangeFn
	done string
}

// userChanges are the subcommands that change one user.
var userChanges = map[string]userChangeCmd{
	"disable":  {func(a *access.Service, _ io.Reader) userChangeFn { return a.DisableUser }, "disabled and signed out everywhere"},
	"enable":   {func(a *access.Service, _ io.Reader) userChangeFn { return a.EnableUser }, "enabled"},
	"delete":   {func(a *access.Service, _ io.Reader) userChangeFn { return a.DeleteUser }, "deleted"},
	"sign-out": {func(a *access.Service, _ io.Reader) userChangeFn { return a.SignOutUser }, "signed out everywhere"},
	"reset-password": {func(a *access.Service, stdin io.Reader) userChangeFn {
		return func(ctx context.Context, who actor.Actor, id string) (store.User, error) {
			pass, err := readPassword(stdin)
			if err != nil {
				return store.User{}, err
			}
			return a.ResetPassword(ctx, who, id, pass)
		}
	}, "has a new password and was signed out everywhere"},
}

// readPassword reads the first line of standard input.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// userCreate adds a user of the web UI.
func userCreate(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlagSet("user create", stdout)
	email := fs.String("email", "", "the user's email: what they sign in with")
	role := fs.String("role", "", "admin, agent, buyer or vendor")
	party := fs.String("party", "", "buyers: the customer id; vendors: the vendor id")
	db := dbFlag(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	pass, err := readPassword(stdin)
	if err != nil {
		return err
	}
	return withAccess(ctx, *db, getenv, changing, func(a *access.Service) error {
		u, err := a.CreateUser(ctx, actor.System, access.UserParams{Email: *email, Role: *role, PartyID: *party, Password: pass})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s (%s, %s): sign in at /login\n", u.Email, u.Role, u.ID)
		return nil
	})
}

// userList prints every user, by email, as a table: never a password's hash.
func userList(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("user list", stdout)
	db := dbFlag(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withAccess(ctx, *db, getenv, reading, func(a *access.Service) error {
		us, err := a.Users(ctx, actor.System)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tPARTY\tCREATED\tDISABLED")
		for _, u := range us {
			disabled := "-"
			if u.Disabled() {
				disabled = u.DisabledAt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Role, orDash(u.PartyID), u.CreatedAt.Format(time.RFC3339), disabled)
		}
		return tw.Flush()
	})
}

// userChange applies one change to the user named (by id or email, before or after the flags).
func userChange(ctx context.Context, cmd string, change userChangeCmd, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlagSet("user "+cmd, stdout)
	db := dbFlag(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("which user? %s", userUsage)
	}
	name := fs.Arg(0)
	if err := parseFlags(fs, fs.Args()[1:]); err != nil {
		return err
	}
	return withAccess(ctx, *db, getenv, changing, func(a *access.Service) error {
		u, err := a.FindUser(ctx, actor.System, name)
		if err != nil {
			return err
		}
		if u, err = change.act(a, stdin)(ctx, actor.System, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s (%s, %s) %s\n", u.Email, u.Role, u.ID, change.done)
		return nil
	})
}
