package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"disputed/internal/monitoring"
	"disputed/internal/notify"
	"disputed/internal/store"
)

// The events a crossing sends, carrying the ratio as GET /v1/analytics/ratios shows it.
const (
	EventThresholdApproaching = "monitoring.threshold_approaching"
	EventThresholdExceeded    = "monitoring.threshold_exceeded"
)

// CheckRatios announces the current month's crossings: a program whose status (projected to the
// month's end) reached approaching or excessive gets its event and an email to the admins, once
// per month, program and level. A program found excessive at once is not announced approaching
// as well. The periodic service of internal/server runs it every few minutes.
func (a *App) CheckRatios(ctx context.Context) error {
	report, err := a.Ratios(ctx, "", "")
	if err != nil {
		return err
	}
	for _, r := range report.Ratios {
		status := r.Status
		if r.Projected != nil {
			status = r.Projected.Status
		}
		if status == monitoring.StatusOK {
			continue
		}
		if err := a.announceCrossing(ctx, r, status); err != nil {
			return err
		}
	}
	return nil
}

// announceCrossing records r's crossing into level with its event and email, unless it was
// announced: the notice row, written in the event's transaction, is what makes it once.
func (a *App) announceCrossing(ctx context.Context, r monitoring.Ratio, level monitoring.Status) error {
	notice := store.MonitoringNotice{Month: r.Month, Network: r.Network, Program: r.Program, Level: string(level)}
	err := a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		if sent, err := tx.MonitoringNoticeSent(ctx, notice); err != nil || sent {
			return err
		}
		notice.CreatedAt = now
		if err := tx.InsertMonitoringNotice(ctx, notice); err != nil {
			return err
		}
		event := EventThresholdApproaching
		if level == monitoring.StatusExcessive {
			event = EventThresholdExceeded
			approaching := notice
			approaching.Level = string(monitoring.StatusApproaching)
			sent, err := tx.MonitoringNoticeSent(ctx, approaching)
			if err != nil {
				return err
			}
			if !sent {
				if err := tx.InsertMonitoringNotice(ctx, approaching); err != nil {
					return err
				}
			}
		}
		if err := a.emit(ctx, tx, now, event, "", "", r); err != nil {
			return err
		}
		return a.queueAdminMail(ctx, tx, now, notify.RatioCrossed, crossingMail(r, level, a.publicURL))
	})
	if errors.Is(err, store.ErrConflict) {
		return nil // another server announced it first
	}
	return err
}

// crossingMail is what the admins' email says of r's crossing into level.
func crossingMail(r monitoring.Ratio, level monitoring.Status, publicURL string) notify.StaffData {
	ratio := r.Ratio
	if r.Projected != nil {
		ratio = r.Projected.Ratio
	}
	var thresholds []string
	for _, t := range r.Thresholds {
		thresholds = append(thresholds, fmt.Sprintf("%s %s and %d events", t.Tier, percent(t.Ratio), t.MinCount))
	}
	names := map[string]string{"vamp": "Visa VAMP", "ecp": "Mastercard ECP"}
	program := names[r.Program]
	if program == "" {
		program = r.Network + " " + r.Program
	}
	status := string(level)
	if r.Projected != nil {
		status += " (projected to the month's end)"
	}
	return notify.StaffData{Program: program, Month: r.Month, Ratio: percent(ratio), Threshold: strings.Join(thresholds, "; "),
		Status: status, Link: publicURL + "/analytics?month=" + r.Month}
}

// percent writes a fraction as a percentage with two decimals: 0.0125 is "1.25 %".
func percent(f float64) string { return fmt.Sprintf("%.2f %%", f*100) }
