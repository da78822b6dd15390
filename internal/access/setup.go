package access

import (
	"context"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// The first admin of an installation is created at /setup by whoever holds a setup token: each
// server start without an admin makes one, keeps its hash in the database (every instance sharing
// it accepts the tokens any of them printed) and prints it where only the operator reads it, the
// server's log. Creating the first admin deletes every token; `disputed user create --role admin`
// is the other way in.

// errSetupToken refuses a setup without a valid token; it creates nothing.
var errSetupToken = fault.New(fault.Forbidden, fault.CodeInvalidSetupToken, "token",
	"this setup link is not valid: open the one the server printed in its log when it started")

// errSetupDone refuses a setup once an admin exists.
var errSetupDone = fault.New(fault.Conflict, fault.CodeSetupDone, "", "the first admin exists: sign in at /login")

// SetupNeeded reports whether the installation has no admin user yet: /setup creates the first.
func (s *Service) SetupNeeded(ctx context.Context) (bool, error) {
	n, err := s.store.CountUsersWithRole(ctx, string(actor.Admin))
	return n == 0, err
}

// NewSetupToken returns a fresh setup token when there is no admin user yet, and "" otherwise.
func (s *Service) NewSetupToken(ctx context.Context) (string, error) {
	var token string
	err := s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		if n, err := tx.CountUsersWithRole(ctx, string(actor.Admin)); err != nil || n > 0 {
			return err
		}
		token = randomToken()
		return tx.InsertSetupToken(ctx, sessionID(token), now)
	})
	return token, err
}

// CheckSetupToken refuses a token that no server printed, or one whose setup is done.
func (s *Service) CheckSetupToken(ctx context.Context, token string) error {
	if need, err := s.SetupNeeded(ctx); err != nil || !need {
		if err == nil {
			err = errSetupDone
		}
		return err
	}
	ok, err := s.store.SetupTokenExists(ctx, sessionID(token))
	if err == nil && (!ok || token == "") {
		err = errSetupToken
	}
	return err
}

// Setup creates the first admin user with a setup token, and spends every token; once there is
// an admin, it refuses. The token is checked before the password is hashed, so that nobody
// without one makes the server hash anything.
func (s *Service) Setup(ctx context.Context, token, email, pass string) (store.User, error) {
	if err := s.CheckSetupToken(ctx, token); err != nil {
		return store.User{}, err
	}
	u, err := s.newUser(ctx, UserParams{Email: email, Role: string(actor.Admin), Password: pass})
	if err != nil {
		return store.User{}, err
	}
	err = s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		if n, err := tx.CountUsersWithRole(ctx, string(actor.Admin)); err != nil {
			return err
		} else if n > 0 {
			return errSetupDone
		}
		if ok, err := tx.SetupTokenExists(ctx, sessionID(token)); err != nil {
			return err
		} else if !ok {
			return errSetupToken
		}
		u.ID, u.CreatedAt, u.UpdatedAt = s.ids.New("usr"), now, now
		if err := insertUser(ctx, tx, u); err != nil {
			return err
		}
		return tx.DeleteSetupTokens(ctx)
	})
	if err == nil {
		s.log.InfoContext(ctx, "first admin created at /setup", "user", u.ID, "email", u.Email)
	}
	return u, err
}
