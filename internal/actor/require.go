package actor

import "disputed/internal/fault"

// The role checks every use case starts with, in one place: the use cases of disputes and orders
// (internal/app) and of users and keys (internal/access) refuse the same way. what names the
// action for the error ("manage API keys").

// Refuse is the error of an action the actor's role may not do.
func Refuse(what string) error {
	return fault.New(fault.Forbidden, fault.CodeForbidden, "", "this role may not %s", what)
}

// RequireStaff allows admins and agents, and the server and its integrations.
func RequireStaff(who Actor, what string) error {
	if !who.IsStaff() {
		return Refuse(what)
	}
	return nil
}

// RequireAdmin allows admins, and the server and its integrations (which act with the merchant's
// authority, as the command line does).
func RequireAdmin(who Actor, what string) error {
	if !who.IsAdmin() {
		return Refuse(what)
	}
	return nil
}
