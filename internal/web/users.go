package web

import (
	"context"
	"net/http"
	"strings"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// locksShown is how many sign-in locks the users page lists (a flood could lock many).
const locksShown = 100

// userForm is the new-user form, to show it again when it was refused (without the password).
type userForm struct {
	Email   string
	Role    string
	PartyID string
}

type usersPage struct {
	Users   []store.User
	Locks   []store.SignInFailures
	Self    string // the signed-in admin's id: no disabling or deleting it
	Roles   []actor.Role
	Form    userForm
	Shown   string // the id of the confirmation to show again after a refusal ("reset-usr_…")
	Message string
}

func (p usersPage) problem() string { return p.Message }

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.showUsers(w, r, http.StatusOK, usersPage{Form: userForm{Role: string(actor.Agent)}})
}

// showUsers renders the users and the current sign-in locks with p's form and message.
func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, p usersPage) {
	v := visitorOf(r.Context())
	us, err := s.access.Users(r.Context(), v.Who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	locks, err := s.access.SignInLocks(r.Context(), v.Who, locksShown)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	p.Users, p.Locks, p.Self, p.Roles = us, locks, v.User.ID, actor.Roles
	s.render(w, r, status, "users.html", "Users", p)
}

// createUser adds a user: staff, or a buyer or vendor bound to the customer or vendor id they
// are, who then signs in to the portal.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	f := userForm{Email: strings.TrimSpace(r.PostFormValue("email")), Role: r.PostFormValue("role"),
		PartyID: strings.TrimSpace(r.PostFormValue("party_id"))}
	pass := r.PostFormValue("password")
	if pass != r.PostFormValue("password_again") {
		s.showUsers(w, r, http.StatusUnprocessableEntity, usersPage{Form: f, Message: "The two passwords differ."})
		return
	}
	// A staff role with a party id is refused by the app rather than dropped here: it may be a
	// buyer meant as a buyer, and an agent by mistake would see everything.
	_, err := s.access.CreateUser(r.Context(), visitorOf(r.Context()).Who, access.UserParams{Email: f.Email, Role: f.Role,
		PartyID: f.PartyID, Password: pass})
	if err != nil {
		if status, msg, ok := formProblem(err); ok {
			s.showUsers(w, r, status, usersPage{Form: f, Message: msg})
			return
		}
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/users", noticeUserCreated)
}

// errPasswordsDiffer refuses a password form whose two passwords differ.
var errPasswordsDiffer = fault.Invalidf(fault.CodeInvalidValue, "password_again", "The two passwords differ.")

// userAction is a confirmed action on one user, from its confirmation box on the users page: the
// app ends the user's sessions with it.
func (s *Server) userAction(modal string, result notice, act func(ctx context.Context, who actor.Actor, id string) (store.User, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		refused := func(status int, msg string) {
			s.showUsers(w, r, status, usersPage{Form: userForm{Role: string(actor.Agent)}, Shown: modal + "-" + id, Message: msg})
		}
		if !ticked(r) {
			refused(http.StatusUnprocessableEntity, "Confirm it in the box first.")
			return
		}
		_, err := act(r.Context(), visitorOf(r.Context()).Who, id)
		if err != nil {
			if status, msg, ok := formProblem(err); ok {
				refused(status, msg)
				return
			}
			s.failWith(w, r, err)
			return
		}
		done(w, r, "/users", result)
	}
}

// resetPassword gives a user the new password typed twice, and signs them out everywhere.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	pass := r.PostFormValue("password")
	s.userAction("reset", noticeUserPasswordReset, func(ctx context.Context, who actor.Actor, id string) (store.User, error) {
		if pass != r.PostFormValue("password_again") {
			return store.User{}, errPasswordsDiffer
		}
		return s.access.ResetPassword(ctx, who, id, pass)
	})(w, r)
}

// userConfirm is a confirmation box of the users page: one action on one user.
type userConfirm struct {
	Modal, Action, Title, Text, Button, Class string
	User                                      store.User
	CSRF                                      string
	Shown                                     bool   // the action was refused: show the box again
	Message                                   string // why
}

// confirmBox builds the confirmation box of action on u, for the users page p.
func confirmBox(p page, u store.User, action, title, text, button, class string) userConfirm {
	data, _ := p.Data.(usersPage)
	modal := action + "-" + u.ID
	return userConfirm{Modal: modal, Action: action, Title: title, Text: text, Button: button, Class: class, User: u,
		CSRF: p.CSRF, Shown: data.Shown == modal, Message: data.Message}
}
