package web

import (
	"net/http"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/store"
)

// userRow is a user as the users page shows it: never the password hash.
type userRow struct {
	ID           string
	Email        string
	Role         string
	PartyID      string
	FailedLogins int
	LockedUntil  time.Time
	CreatedAt    time.Time
}

// userForm is the new-user form, to show it again when it was refused (without the password).
type userForm struct {
	Email   string
	Role    string
	PartyID string
}

type usersPage struct {
	Users   []userRow
	Roles   []actor.Role
	Form    userForm
	Message string
	Now     time.Time
}

func (p usersPage) problem() string { return p.Message }

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.showUsers(w, r, http.StatusOK, userForm{Role: string(actor.Agent)}, "")
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, f userForm, msg string) {
	us, err := s.app.Users(r.Context(), visitorOf(r.Context()).Who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	rows := make([]userRow, 0, len(us))
	for _, u := range us {
		rows = append(rows, rowOfUser(u))
	}
	s.render(w, r, status, "users.html", "Users", usersPage{Users: rows, Roles: actor.Roles, Form: f, Message: msg, Now: s.cfg.Now()})
}

func rowOfUser(u store.User) userRow {
	return userRow{ID: u.ID, Email: u.Email, Role: u.Role, PartyID: u.PartyID, FailedLogins: u.FailedLogins,
		LockedUntil: u.LockedUntil, CreatedAt: u.CreatedAt}
}

// createUser adds a user: staff, or a buyer or vendor bound to the customer or vendor id they
// are, who then signs in to the portal.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	f := userForm{Email: strings.TrimSpace(r.PostFormValue("email")), Role: r.PostFormValue("role"),
		PartyID: strings.TrimSpace(r.PostFormValue("party_id"))}
	pass := r.PostFormValue("password")
	if pass != r.PostFormValue("password_again") {
		s.showUsers(w, r, http.StatusUnprocessableEntity, f, "The two passwords differ.")
		return
	}
	// A staff role with a party id is refused by the app rather than dropped here: it may be a
	// buyer meant as a buyer, and an agent by mistake would see everything.
	_, err := s.app.CreateUser(r.Context(), visitorOf(r.Context()).Who, app.UserParams{Email: f.Email, Role: f.Role,
		PartyID: f.PartyID, Password: pass})
	if err != nil {
		if status, msg, ok := formProblem(err); ok {
			s.showUsers(w, r, status, f, msg)
			return
		}
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/users", noticeUserCreated)
}
