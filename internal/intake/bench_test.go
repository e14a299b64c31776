package intake_test

import (
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

// BenchmarkBuild5000 is what a snapshot pays for a cohort: the translation of Moodle's
// replies and cohort.Build (internal/cohort's BenchmarkBuild5000 measures Build alone).
func BenchmarkBuild5000(b *testing.B) {
	now := time.Date(2026, 11, 22, 19, 44, 48, 0, time.UTC)
	r := intaketest.SyntheticReplies(5000, now)
	b.ReportAllocs()
	for b.Loop() {
		intake.Build(r, now, cohort.DefaultConfig())
	}
}

// BenchmarkInput5000 measures the translation alone.
func BenchmarkInput5000(b *testing.B) {
	now := time.Date(2026, 11, 22, 19, 44, 48, 0, time.UTC)
	r := intaketest.SyntheticReplies(5000, now)
	b.ReportAllocs()
	for b.Loop() {
		intake.Input(r)
	}
}
