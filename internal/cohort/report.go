package cohort

// ActivityReport is the course design review (issue "Cohort review"): per activity with
// completion, in course order, how many students completed it, where they drop off, how the
// completions came about and which group lags.
type ActivityReport struct {
	Group            int64 // 0: every group the user can see
	IncludeSuspended bool
	// Students counts the students in the filter; WithCompletion those whose completion is
	// loaded (the others are in no activity's Eligible).
	Students       int
	WithCompletion int
	// Groups are the visible groups compared side by side, in the order of each row's ByGroup.
	Groups []Group
	Rows   []ActivityRow
}

// ActivityRow is one activity of the report; its numbers are the activities CSV's columns.
type ActivityRow struct {
	Activity Activity
	// Completed counts students in state complete or complete-pass, Failed in complete-fail,
	// Eligible the students of the filter for whom Moodle lists the activity.
	Completed int
	Failed    int
	Eligible  int
	// Percent is Completed/Eligible×100 rounded down (0 when nobody is eligible).
	Percent int
	// Dropoff is Percent minus the previous row's Percent; HasDropoff is false on the first row.
	Dropoff    int
	HasDropoff bool
	// Manual, Automatic and Overridden split Completed by how the completion came about.
	Manual     int
	Automatic  int
	Overridden int
	// ByGroup has one entry per report group (same order as ActivityReport.Groups), computed
	// over every visible group whatever the report's own group filter.
	ByGroup []GroupShare
	// Lagging is the group with the lowest percent when at least two groups have eligible
	// students and their percents differ; HasLagging is false otherwise.
	Lagging    Group
	HasLagging bool
}

// GroupShare is one group's completion of one activity.
type GroupShare struct {
	Group     Group
	Completed int
	Eligible  int
	Percent   int
}

// tally counts one activity's states over a set of students.
type tally struct{ completed, failed, eligible, manual, automatic, overridden int }

func (t *tally) add(st ActivityState) {
	t.eligible++
	switch {
	case st.State.Done():
		t.completed++
		switch st.Method() {
		case MethodOverridden:
			t.overridden++
		case MethodManual:
			t.manual++
		default:
			t.automatic++
		}
	case st.State == StateCompleteFail:
		t.failed++
	}
}

func percentOf(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return part * 100 / whole
}

// ActivityReport counts, per activity with completion, the students in group (0 for every
// visible group) with active enrolments, plus suspended ones when includeSuspended.
func (c *Cohort) ActivityReport(group int64, includeSuspended bool) ActivityReport {
	r := ActivityReport{Group: group, IncludeSuspended: includeSuspended, Groups: c.Groups}
	n, ng := len(c.Activities), len(c.Groups)
	total := make([]tally, n)
	byGroup := make([]tally, n*ng) // [activity*ng + group]
	gpos := make(map[int64]int, ng)
	for i, g := range c.Groups {
		gpos[g.ID] = i
	}
	for _, s := range c.Students {
		if s.Suspended && !includeSuspended {
			continue
		}
		inFilter := group == 0 || s.InGroup(group)
		if inFilter {
			r.Students++
			if s.Completion.Loaded {
				r.WithCompletion++
			}
		}
		for _, st := range s.Activities {
			ai := c.actIndex[st.CMID]
			if inFilter {
				total[ai].add(st)
			}
			for _, g := range s.Groups {
				if gi, ok := gpos[g.ID]; ok {
					byGroup[ai*ng+gi].add(st)
				}
			}
		}
	}
	r.Rows = make([]ActivityRow, n)
	for ai, a := range c.Activities {
		t := total[ai]
		row := ActivityRow{
			Activity: a, Completed: t.completed, Failed: t.failed, Eligible: t.eligible,
			Percent: percentOf(t.completed, t.eligible), Manual: t.manual, Automatic: t.automatic, Overridden: t.overridden,
		}
		if ai > 0 {
			row.Dropoff, row.HasDropoff = row.Percent-r.Rows[ai-1].Percent, true
		}
		row.ByGroup = make([]GroupShare, ng)
		for gi, g := range c.Groups {
			gt := byGroup[ai*ng+gi]
			row.ByGroup[gi] = GroupShare{Group: g, Completed: gt.completed, Eligible: gt.eligible, Percent: percentOf(gt.completed, gt.eligible)}
		}
		row.Lagging, row.HasLagging = lagging(row.ByGroup)
		r.Rows[ai] = row
	}
	return r
}

// lagging returns the group with the lowest percent among those with eligible students, when
// there are at least two and they are not all equal.
func lagging(shares []GroupShare) (Group, bool) {
	var low, high *GroupShare
	count := 0
	for i := range shares {
		s := &shares[i]
		if s.Eligible == 0 {
			continue
		}
		count++
		if low == nil || s.Percent < low.Percent {
			low = s
		}
		if high == nil || s.Percent > high.Percent {
			high = s
		}
	}
	if count < 2 || low.Percent == high.Percent {
		return Group{}, false
	}
	return low.Group, true
}
