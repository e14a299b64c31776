package intaketest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/internal/moodle"
)

// Student ids of course KTS101 (README, student table).
const (
	zoe    = 5
	oliver = 14
	ethan  = 30
)

// TestDerivedCompletionMatchesRecorded guards the test helper that stands in for Moodle: for
// the students whose completion was recorded, deriving it from the seed table gives the same
// states and overrides.
func TestDerivedCompletionMatchesRecorded(t *testing.T) {
	t.Parallel()
	seed := intaketest.LoadSeed(t)
	template := intaketest.RecordedCompletion(t, "zoe")
	for _, who := range []string{"zoe.andersen", "oliver.smith", "ethan.brown", "lea.martin"} {
		t.Run(who, func(t *testing.T) {
			t.Parallel()
			file := map[string]string{"zoe.andersen": "zoe", "oliver.smith": "oliver", "ethan.brown": "ethan", "lea.martin": "lea"}[who]
			type state struct {
				CMID, OverrideBy int64
				State            int
			}
			flat := func(ac *moodle.ActivitiesCompletion) []state {
				var out []state
				for _, s := range ac.Statuses {
					st := state{CMID: s.CMID, State: s.State}
					if s.OverrideBy != nil {
						st.OverrideBy = *s.OverrideBy
					}
					out = append(out, st)
				}
				return out
			}
			want := flat(intaketest.RecordedCompletion(t, file))
			got := flat(intaketest.DeriveCompletionFromSeed(seed.KTS101.Students[who], template))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("derived completion (-recorded +derived):\n%s", diff)
			}
		})
	}
}

func TestBatchCompletionMatchesSingleCalls(t *testing.T) {
	t.Parallel()
	batch := intaketest.BatchCompletion(t)
	for id, who := range map[int64]string{zoe: "zoe", oliver: "oliver", ethan: "ethan"} {
		if diff := cmp.Diff(intaketest.RecordedCompletion(t, who), batch[id], cmp.Comparer(func(a, b moodle.Time) bool { return a.Unix() == b.Unix() })); diff != "" {
			t.Errorf("%s: batch differs from the single call (-single +batch):\n%s", who, diff)
		}
	}
}
