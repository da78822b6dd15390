package web

import (
	"context"
	"time"

	"disputed/internal/actor"
	"disputed/internal/order"
)

// activityShown is how many of a line's newest activity entries a page shows; the rest are
// counted, and read through the API.
const activityShown = 10

// lineActivity is a line's recent activity as the order and dispute pages show it.
type lineActivity struct {
	Entries []activityRow
	More    int // older entries not shown
}

// activityRow is one entry in words.
type activityRow struct {
	Label, Kind, IP, Detail, Source string
	At                              time.Time
}

// addActivity gives each line its newest entries and the count of the rest.
func (s *Server) addActivity(ctx context.Context, who actor.Actor, orderID string, lines []lineRow) error {
	if len(lines) == 0 {
		return nil
	}
	recent, err := s.app.RecentActivity(ctx, who, orderID, activityShown)
	if err != nil {
		return err
	}
	for i := range lines {
		la := recent[lines[i].ID]
		rows := make([]activityRow, len(la.Entries))
		for j, a := range la.Entries {
			rows[j] = activityRow{Label: order.ActivityLabel(a.Kind), Kind: a.Kind, IP: a.IP, Detail: a.Detail, At: a.At,
				Source: activitySource(a.Source, lines[i].Panel)}
		}
		lines[i].Activity = lineActivity{Entries: rows, More: la.Total - len(rows)}
	}
	return nil
}

// activitySource says who reported an entry.
func activitySource(src order.ActivitySource, panelName string) string {
	if src == order.FromPanel {
		return "panel " + panelName
	}
	return "your system (API)"
}
