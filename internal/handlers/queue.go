package handlers

import (
	"net/http"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/views"
)

// memKey is the signed-in teacher's memory of course id: theirs alone.
func (s *server) memKey(r *http.Request, courseID int64) attention.Key {
	return attention.Key{Site: s.Moodle.BaseURL(), UserID: userFrom(r).UserID, CourseID: courseID}
}

// teacherConfig is the cohort configuration of the signed-in teacher for a course: their
// rules over the server's defaults. A store that fails gives the defaults (and a log line):
// the page stays usable.
func (s *server) teacherConfig(r *http.Request, courseID int64) cohort.Config {
	rules, err := s.Memory.Rules(r.Context(), s.memKey(r, courseID))
	if err != nil {
		s.Log.Error("reading flag rules", "course", courseID, "err", err)
		return s.Cohort
	}
	return rules.Config(s.Cohort, s.zone(r))
}

// visit records a request to a course as part of this teacher's visit to it, and returns
// the visits. Only a complete snapshot counts: the flags of a course still loading would make
// a false snapshot (a page that fills itself in counts when its last poll lands).
func (s *server) visit(r *http.Request, cd *courseData) attention.Visit {
	k := s.memKey(r, cd.id)
	var (
		v   attention.Visit
		err error
	)
	if !cd.snap.Complete {
		v, err = s.Memory.LastVisit(r.Context(), k)
	} else {
		v, err = s.Memory.Visit(r.Context(), k, s.Now(), attention.TakeSnapshot(cd.cohort))
	}
	if err != nil {
		s.Log.Error("recording a visit", "course", cd.id, "err", err)
	}
	return v
}

// marks returns this teacher's marks for the course (none when the store fails: logged).
func (s *server) marks(r *http.Request, courseID int64) map[int64]attention.Mark {
	m, err := s.Memory.Marks(r.Context(), s.memKey(r, courseID))
	if err != nil {
		s.Log.Error("reading states", "course", courseID, "err", err)
		return map[int64]attention.Mark{}
	}
	return m
}

// states returns the effective state of every flagged student of the course, for the grid.
func (s *server) states(r *http.Request, cd *courseData) map[int64]string {
	marks := s.marks(r, cd.id)
	out := make(map[int64]string, len(marks))
	for _, st := range cd.cohort.Students {
		if m, ok := marks[st.ID]; ok {
			if e := m.Effective(attention.Codes(st.Flags), s.Now()); e != attention.New {
				out[st.ID] = string(e)
			}
		}
	}
	return out
}

// queue is the attention queue: the flagged students this teacher has not set aside, most
// urgent first, one of them in focus (?at=userid, the first by default).
func (s *server) queue(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	s.visit(r, cd)
	q := attention.BuildQueue(cd.cohort, s.marks(r, cd.id), s.Now())
	at, err := parseAt(r.URL.Query())
	if err != nil {
		return err
	}
	v := views.NewQueueView(views.QueueParams{Cohort: cd.cohort, Queue: q, At: at, Now: s.Now(), Loc: s.zone(r),
		MoodleURL: s.Moodle.BaseURL(), Key: randomID(), Saved: saidSaved(r.URL.Query())})
	if isFragment(r) {
		s.render(w, r, http.StatusOK, views.QueueContent(v))
		return nil
	}
	p := s.page(r, "Attention queue · "+cd.cohort.Course.FullName, courseCrumbs(cd.cohort, views.Crumb{Label: "Attention queue"})...)
	s.render(w, r, http.StatusOK, views.QueuePage(p, v))
	return nil
}

// setState sets this teacher's state for a student: fields state, until (YYYY-MM-DD, for
// snoozed), key; then back to next (a local path), the queue by default.
func (s *server) setState(w http.ResponseWriter, r *http.Request) error {
	cd, st, err := s.loadStudent(r)
	if err != nil {
		return err
	}
	uid := st.ID
	if err := r.ParseForm(); err != nil {
		return badRequest("The form could not be read.")
	}
	if key := r.PostForm.Get("key"); !keyPattern.MatchString(key) {
		return badRequest("This form is not valid any more. Open the queue again.")
	}
	state, ok := attention.ParseState(r.PostForm.Get("state"))
	if !ok {
		return badRequest("“" + clip(r.PostForm.Get("state"), 30) + "” is not a state: choose new, contacted, handled or snoozed.")
	}
	var until time.Time
	if state == attention.Snoozed {
		raw := r.PostForm.Get("until")
		loc := s.zone(r)
		if until, ok = attention.DayStart(raw, loc); !ok {
			return badRequest("Snooze until a date written as YYYY-MM-DD, for example " + s.Now().In(loc).AddDate(0, 0, 7).Format(time.DateOnly) + ".")
		}
		if !until.After(s.Now()) {
			return badRequest("Snooze until a day after today.")
		}
	}
	m := attention.NewMark(uid, state, until, st.Flags, s.Now())
	if err := s.Memory.SetMarks(r.Context(), s.memKey(r, cd.id), []attention.Mark{m}); err != nil {
		return err
	}
	next := auth.SafeNext(r.PostForm.Get("next"))
	if next == "/" {
		next = views.QueuePath(cd.id)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// markContacted marks the students a message went to as contacted, and records the contact
// with the flags they had, for the follow-up. A store failure is logged: the message went.
func (s *server) markContacted(r *http.Request, c *cohort.Cohort, ids []int64, at time.Time) {
	if len(ids) == 0 {
		return
	}
	k := s.memKey(r, c.Course.ID)
	marks := make([]attention.Mark, 0, len(ids))
	for _, id := range ids {
		st, _ := c.Student(id)
		marks = append(marks, attention.NewMark(id, attention.Contacted, time.Time{}, st.Flags, at))
	}
	if err := s.Memory.SetMarks(r.Context(), k, marks); err != nil {
		s.Log.Error("marking contacted", "course", c.Course.ID, "err", err)
	}
	if err := s.Memory.AddContacts(r.Context(), k, attention.ContactsFor(c, ids, at)); err != nil {
		s.Log.Error("recording contacts", "course", c.Course.ID, "err", err)
	}
}
