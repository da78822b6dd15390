package testenv

import "disputed/internal/app"

// CompileByHand turns off compiling the evidence when a dispute opens, for a test of something
// else that counts a dispute's revisions, timeline entries or pushes to a provider.
func (e *Env) CompileByHand() {
	e.T.Helper()
	off := false
	Must(e.App.SaveSettings(e.Ctx, Admin, app.SettingsParams{Profile: app.ProfileParams{CompileOnOpen: &off}}))(e.T)
}
