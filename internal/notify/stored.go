package notify

import (
	"encoding/json"
	"fmt"
)

// Store is what disputed keeps of a customer email of template t with d, instead of its text:
// the version of the templates it is written with, and d as JSON (Data's json names are the
// stored format). ReadStored renders it again, as it was written, when it is read or sent. It
// refuses what Render would: an unknown template, data naming no order.
func Store(t Template, d Data) (version int, data string, err error) {
	if _, err := check(t, TemplateVersion, d); err != nil {
		return 0, "", err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return 0, "", fmt.Errorf("notify: keep the %s email's data: %w", t, err)
	}
	return TemplateVersion, string(b), nil
}

// ReadStored renders an email kept by Store: template t of the version given, with its data.
func ReadStored(t string, version int, data string) (Message, error) {
	var d Data
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return Message{}, fmt.Errorf("notify: read the %s email's data: %w", t, err)
	}
	return RenderVersion(Template(t), version, d)
}
