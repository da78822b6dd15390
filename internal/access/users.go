package access

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/password"
	"disputed/internal/store"
)

// UserParams create a user of the web UI.
type UserParams struct {
	Email    string
	Role     string
	PartyID  string // buyers and vendors: the customer or vendor id they are
	Password string
}

// CreateUser adds a user (the command line, or an admin).
func (s *Service) CreateUser(ctx context.Context, who actor.Actor, p UserParams) (store.User, error) {
	if err := actor.RequireAdmin(who, "create users"); err != nil {
		return store.User{}, err
	}
	u, err := s.newUser(ctx, p)
	if err != nil {
		return store.User{}, err
	}
	err = s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		u.ID, u.CreatedAt, u.UpdatedAt = s.ids.New("usr"), now, now
		if err := insertUser(ctx, tx, u); err != nil {
			return err
		}
		if u.Role == string(actor.Admin) {
			return tx.DeleteSetupTokens(ctx) // an admin exists: the setup links printed so far are spent
		}
		return nil
	})
	return u, err
}

// newUser checks the parameters and hashes the password (the slow part, outside any transaction).
func (s *Service) newUser(ctx context.Context, p UserParams) (store.User, error) {
	email := strings.ToLower(strings.TrimSpace(p.Email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > 254 {
		return store.User{}, fault.Invalidf(fault.CodeInvalidValue, "email", "%q is not an email address", p.Email)
	}
	role := actor.Role(p.Role)
	if err := bindsParty(role, p.PartyID, "user"); err != nil {
		return store.User{}, err
	}
	if err := password.Validate(p.Password, email); err != nil {
		return store.User{}, err
	}
	hash, err := s.hasher.Hash(ctx, p.Password)
	if err != nil {
		return store.User{}, err
	}
	return store.User{Email: email, PasswordHash: hash, Role: string(role), PartyID: p.PartyID}, nil
}

func insertUser(ctx context.Context, tx store.Tx, u store.User) error {
	if err := tx.InsertUser(ctx, u); errors.Is(err, store.ErrConflict) {
		return fault.New(fault.Conflict, fault.CodeUserExists, "email", "a user with the email %s exists", u.Email)
	} else if err != nil {
		return err
	}
	return nil
}

// Users lists the web UI's users (admin).
func (s *Service) Users(ctx context.Context, who actor.Actor) ([]store.User, error) {
	if err := actor.RequireAdmin(who, "read users"); err != nil {
		return nil, err
	}
	return s.store.ListUsers(ctx)
}

// FindUser returns the user with that id, or else that email (admin): the command line names
// users either way.
func (s *Service) FindUser(ctx context.Context, who actor.Actor, idOrEmail string) (store.User, error) {
	if err := actor.RequireAdmin(who, "read users"); err != nil {
		return store.User{}, err
	}
	u, err := s.store.GetUser(ctx, idOrEmail)
	if errors.Is(err, store.ErrNotFound) && strings.Contains(idOrEmail, "@") {
		u, err = s.store.GetUserByEmail(ctx, strings.TrimSpace(idOrEmail))
	}
	return u, store.NotFound(err, "user", idOrEmail)
}

// DisableUser stops a user from signing in and ends their sessions at once (admin). Disabling a
// disabled user changes nothing. Admins cannot disable themselves.
func (s *Service) DisableUser(ctx context.Context, who actor.Actor, id string) (store.User, error) {
	if err := actor.RequireAdmin(who, "disable users"); err != nil {
		return store.User{}, err
	}
	if err := notSelf(who, id, "disable"); err != nil {
		return store.User{}, err
	}
	return s.changeUser(ctx, who, id, "disable", func(u *store.User, now time.Time) {
		if !u.Disabled() {
			u.DisabledAt = now
		}
	})
}

// EnableUser lets a disabled user sign in again (admin).
func (s *Service) EnableUser(ctx context.Context, who actor.Actor, id string) (store.User, error) {
	return s.changeUser(ctx, who, id, "enable", func(u *store.User, _ time.Time) { u.DisabledAt = time.Time{} })
}

// SignOutUser ends every session of a user at once (admin); they may sign in again.
func (s *Service) SignOutUser(ctx context.Context, who actor.Actor, id string) (store.User, error) {
	return s.changeUser(ctx, who, id, "sign out", nil)
}

// ResetPassword gives a user a new password, under the same rules as a new user's, and ends their
// sessions (admin): whoever knew the old one is out.
func (s *Service) ResetPassword(ctx context.Context, who actor.Actor, id, pass string) (store.User, error) {
	if err := actor.RequireAdmin(who, "reset passwords"); err != nil {
		return store.User{}, err
	}
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return store.User{}, store.NotFound(err, "user", id)
	}
	if err := password.Validate(pass, u.Email); err != nil {
		return store.User{}, err
	}
	hash, err := s.hasher.Hash(ctx, pass)
	if err != nil {
		return store.User{}, err
	}
	return s.changeUser(ctx, who, id, "reset the password of", func(u *store.User, _ time.Time) { u.PasswordHash = hash })
}

// DeleteUser removes a user and ends their sessions (admin). Admins cannot delete themselves.
func (s *Service) DeleteUser(ctx context.Context, who actor.Actor, id string) (store.User, error) {
	if err := actor.RequireAdmin(who, "delete users"); err != nil {
		return store.User{}, err
	}
	if err := notSelf(who, id, "delete"); err != nil {
		return store.User{}, err
	}
	var u store.User
	err := s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		var err error
		if u, err = tx.GetUser(ctx, id); err != nil {
			return store.NotFound(err, "user", id)
		}
		if _, err := tx.DeleteSessionsOfUser(ctx, id); err != nil {
			return err
		}
		return tx.DeleteUser(ctx, id)
	})
	if err == nil {
		s.log.InfoContext(ctx, "user deleted", "user", u.ID, "email", u.Email, "by", who.String())
	}
	return u, err
}

// changeUser applies change (if any) to the user and ends their sessions, in one transaction, so
// that a disabled user's or an old password's session stops working at its next request.
func (s *Service) changeUser(ctx context.Context, who actor.Actor, id, what string, change func(*store.User, time.Time)) (store.User, error) {
	if err := actor.RequireAdmin(who, what+" users"); err != nil {
		return store.User{}, err
	}
	var u store.User
	err := s.write(ctx, true, func(tx store.Tx, now time.Time) error {
		var err error
		if u, err = tx.GetUser(ctx, id); err != nil {
			return store.NotFound(err, "user", id)
		}
		if change != nil {
			change(&u, now)
			u.UpdatedAt = now
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		_, err = tx.DeleteSessionsOfUser(ctx, id)
		return err
	})
	if err == nil {
		s.log.InfoContext(ctx, what+" user", "user", u.ID, "email", u.Email, "by", who.String())
	}
	return u, err
}

// notSelf refuses an admin's disabling or deleting their own account (signing themselves out
// everywhere, or resetting their own password, is fine): the last admin would lock everyone out.
func notSelf(who actor.Actor, id, what string) error {
	if who.Kind == "user" && who.ID == id {
		return fault.New(fault.Conflict, fault.CodeOwnAccount, "", "you cannot %s your own account: ask another admin", what)
	}
	return nil
}
