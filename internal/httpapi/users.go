package httpapi

import (
	"context"
	"time"

	"disputed/internal/actor"
	"disputed/internal/store"
)

// User is a user of the web UI as an admin sees it: never the password's hash.
type User struct {
	ID         string     `json:"id"`
	Object     string     `json:"object" enum:"user"`
	Email      string     `json:"email"`
	Role       string     `json:"role" enum:"admin,agent,buyer,vendor"`
	PartyID    *string    `json:"party_id" doc:"buyers: the customer id; vendors: the vendor id; null for staff"`
	DisabledAt *time.Time `json:"disabled_at" doc:"when an admin disabled the user, who may not sign in; null while enabled"`
	CreatedAt  time.Time  `json:"created_at"`
}

func userOut(u store.User) User {
	return User{ID: u.ID, Object: "user", Email: u.Email, Role: u.Role, PartyID: opt(u.PartyID), DisabledAt: optTime(u.DisabledAt),
		CreatedAt: u.CreatedAt.UTC()}
}

// UserOut answers with a user.
type UserOut struct{ Body User }

// UsersOut is every user, by email, in one page.
type UsersOut struct{ Body List[User] }

func (s *Server) listUsers(ctx context.Context, _ *struct{}) (*UsersOut, error) {
	us, err := s.access.Users(ctx, who(ctx))
	if err != nil {
		return nil, err
	}
	return &UsersOut{Body: listOf(us, false, userOut, func(u store.User) (time.Time, string) { return u.CreatedAt, u.ID })}, nil
}

// userAction answers a use case that changes a user and ends their sessions with the user.
func (s *Server) userAction(act func(context.Context, actor.Actor, string) (store.User, error)) func(context.Context, *ByID) (*UserOut, error) {
	return func(ctx context.Context, in *ByID) (*UserOut, error) {
		u, err := act(ctx, who(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &UserOut{Body: userOut(u)}, nil
	}
}

func (s *Server) deleteUser(ctx context.Context, in *ByID) (*DeletedOut, error) {
	if _, err := s.access.DeleteUser(ctx, who(ctx), in.ID); err != nil {
		return nil, err
	}
	return deleted(in.ID, "user"), nil
}
