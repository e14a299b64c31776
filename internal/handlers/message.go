package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/compose"
	"github.com/knowthystudents/kts/internal/contact"
	"github.com/knowthystudents/kts/views"
)

const maxMessageLen = 4000

// composeMessage is the form for a message to the selected students: ?userid=A&userid=B, or
// a cohort filter (?attention=1&group=1, ?flag=overdue) that selects every matching student.
func (s *server) composeMessage(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	recips, err := s.recipients(r, cd.cohort, r.URL.Query())
	if tm, ok := err.(*tooManyRecipients); ok {
		return s.renderNarrow(w, r, cd.cohort, tm)
	}
	if err != nil {
		return err
	}
	v := s.composeView(r, cd.cohort, recips)
	v.Key = randomID()
	v.Text = compose.DefaultText()
	return s.renderCompose(w, r, cd.cohort, http.StatusOK, v)
}

// sendMessage previews or sends (once per key) the message, or retries its failed recipients.
func (s *server) sendMessage(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	key := r.PostForm.Get("key")
	if !keyPattern.MatchString(key) {
		return badRequest("This message form is not valid any more. Open it again from the course page.")
	}
	t := userFrom(r).Credentials
	action := r.PostForm.Get("action")
	if action != "retry" && action != "preview" {
		prev, ok, err := s.Contact.Lookup(r.Context(), t, key)
		if err != nil {
			return err
		}
		if ok {
			return s.renderResult(w, r, cd.cohort, key, r.PostForm.Get("text"), prev, true)
		}
	}
	recips, err := s.recipients(r, cd.cohort, r.PostForm)
	if err != nil {
		return err
	}
	v := s.composeView(r, cd.cohort, recips)
	v.Key = key
	v.Text = r.PostForm.Get("text")
	if v.Unavailable != "" {
		return s.renderCompose(w, r, cd.cohort, http.StatusForbidden, v)
	}
	text := strings.TrimSpace(v.Text)
	switch {
	case text == "":
		v.Error = "The message is empty: write something before sending."
		return s.renderCompose(w, r, cd.cohort, http.StatusBadRequest, v)
	case utf8.RuneCountInString(text) > maxMessageLen:
		v.Error = "The message is too long: keep it under " + strconv.Itoa(maxMessageLen) + " characters."
		return s.renderCompose(w, r, cd.cohort, http.StatusBadRequest, v)
	}
	who := recips[0]
	if id, err := strconv.ParseInt(r.PostForm.Get("previewfor"), 10, 64); err == nil && slices.Contains(recips, id) {
		who = id
	}
	chosen, _ := cd.cohort.Student(who)
	v.Preview, v.PreviewFor, v.PreviewID = contact.Personalise(text, s.vars(cd.cohort, chosen)), chosen.FullName, who
	if action == "preview" {
		return s.renderCompose(w, r, cd.cohort, http.StatusOK, v)
	}
	if len(recips) > s.ConfirmAbove && r.PostForm.Get("confirm") != "1" && action != "retry" {
		v.Error = "Please confirm that this message goes to all " + strconv.Itoa(len(recips)) + " students."
		return s.renderCompose(w, r, cd.cohort, http.StatusUnprocessableEntity, v)
	}
	rs := make([]contact.Recipient, 0, len(recips))
	for _, id := range recips {
		st, _ := cd.cohort.Student(id)
		rs = append(rs, contact.Recipient{UserID: id, Text: contact.Personalise(text, s.vars(cd.cohort, st))})
	}
	res, err := s.Contact.Message(r.Context(), t, key, cd.id, rs, action == "retry")
	if err != nil {
		return wrote(err)
	}
	if !res.Repeat {
		var sent []int64
		for _, o := range res.Outcomes {
			if o.Status == contact.Sent {
				sent = append(sent, o.UserID)
			}
		}
		s.markContacted(r, cd.cohort, sent, s.Now())
	}
	if res.Released {
		// Moodle stored none of it: the form comes back with the text intact, and the same
		// form may be sent again.
		v.Error = "Moodle did not deliver the message: " + res.Outcomes[0].Reason
		return s.renderCompose(w, r, cd.cohort, http.StatusBadGateway, v)
	}
	return s.renderResult(w, r, cd.cohort, key, text, res, false)
}

// noteContact keeps a personal note, on each student who got a message, that they were
// contacted: one click from the result. Pressed twice, it saves each note once.
func (s *server) noteContact(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	key := r.PostFormValue("key")
	u := userFrom(r)
	t := u.Credentials
	unknownKey := badRequest("This message result is no longer known. Notes can be added from each student's page.")
	if !keyPattern.MatchString(key) {
		return unknownKey
	}
	res, ok, err := s.Contact.Lookup(r.Context(), t, key)
	if err != nil {
		return err
	}
	if !ok {
		return unknownKey
	}
	if !u.Allows(fnNotesAdd) {
		return &httpError{Status: http.StatusForbidden, Heading: "Notes are not available", Items: []string{fnNotesAdd},
			Message: "Your Moodle site's web service does not include the function that saves notes.", Next: "Ask your Moodle administrator to add it:"}
	}
	out, err := s.Contact.ContactNotes(r.Context(), t, key, func(o contact.Outcome) string { return contactNote(o, res.Created, s.zone(r)) })
	if errors.Is(err, contact.ErrUnknownKey) {
		return unknownKey
	}
	if err != nil {
		return wrote(err)
	}
	p := s.page(r, "Message students", courseCrumbs(cd.cohort, views.Crumb{Label: "Message"})...)
	again := false
	switch {
	case out.Repeat:
		p.Notices = append(p.Notices, views.Notice{Kind: "info", Text: "The notes of this contact had already been saved: nothing was added again."})
	case out.Saved > 0:
		p.Notices = append(p.Notices, views.Notice{Kind: "success", Text: "Saved a personal note in Moodle for " + strconv.Itoa(out.Saved) + " of " + strconv.Itoa(out.Total) + " students."})
	}
	if out.Unknown > 0 {
		again = true
		p.Notices = append(p.Notices, views.Notice{Kind: "warn", Text: "Moodle did not answer in time for " + strconv.Itoa(out.Unknown) +
			" of the notes, so they may have been saved. Pressing “Keep a note of this contact” again first looks in Moodle and saves only the notes it does not hold."})
	}
	if n := len(out.Reasons); n > 0 {
		again = true
		p.Notices = append(p.Notices, views.Notice{Kind: "error", Text: "Moodle did not save " + strconv.Itoa(n) + " of the notes: " + out.Reasons[0] +
			" Pressing “Keep a note of this contact” again tries those again."})
	}
	v := views.ComposeView{CourseID: cd.id, Path: views.CoursePath(cd.id), Key: key}
	v.Result = s.resultView(cd.cohort, res)
	v.Result.CanNote = again
	s.render(w, r, http.StatusOK, views.ComposePage(p, v))
	return nil
}

// contactNote is the note kept about one student who got a message: when, and what they got.
func contactNote(o contact.Outcome, sent time.Time, loc *time.Location) string {
	text := strings.Join(strings.Fields(o.Text), " ")
	if r := []rune(text); len(r) > 80 {
		text = string(r[:80]) + "…"
	}
	return "Messaged through Moodle on " + sent.In(loc).Format("2 Jan 2006") + ": “" + text + "”"
}

// recipients reads the selected students and checks each is a student this teacher sees.
func (s *server) recipients(r *http.Request, c *cohort.Cohort, form map[string][]string) ([]int64, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, raw := range form["userid"] {
		id, err := parseID(raw, "student")
		if err != nil {
			return nil, err
		}
		if _, ok := c.Student(id); !ok {
			return nil, notFoundf("Student %d is not a student of this course that you can see.", id)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	var tooMany *tooManyRecipients
	if len(ids) == 0 && r.Method == http.MethodGet {
		q, err := cohortQuery(r, c)
		if err != nil {
			return nil, err
		}
		for _, st := range c.Rows(q) { // q carries flag=<code>, the teacher's rules included
			ids = append(ids, st.ID)
		}
		tooMany = &tooManyRecipients{n: len(ids), max: s.MaxRecipients, q: q, flag: q.Flag}
	}
	switch {
	case len(ids) == 0:
		return nil, badRequest("No student is selected: tick the students to write to on the course page.")
	case len(ids) > s.MaxRecipients && tooMany != nil:
		return nil, tooMany
	case len(ids) > s.MaxRecipients:
		return nil, badRequest("One message can go to at most " + strconv.Itoa(s.MaxRecipients) + " students; " +
			strconv.Itoa(len(ids)) + " are selected. Narrow the selection with a group or a flag.")
	}
	return ids, nil
}

func (s *server) vars(c *cohort.Cohort, st cohort.Student) contact.Vars {
	v := contact.Vars{FirstName: st.FirstName, FullName: st.FullName, Course: c.Course.FullName, Reasons: compose.Reasons(c, st)}
	for i, a := range st.Assignments {
		if a.Status == cohort.StatusOverdue && i < len(c.Assignments) {
			v.Overdue = append(v.Overdue, c.Assignments[i].Name)
		}
	}
	return v
}

func (s *server) composeView(r *http.Request, c *cohort.Cohort, ids []int64) views.ComposeView {
	u := userFrom(r)
	v := views.ComposeView{CourseID: c.Course.ID, CourseName: c.Course.FullName, Path: views.CoursePath(c.Course.ID),
		Placeholders: contact.Placeholders(), ConfirmAbove: s.ConfirmAbove, Max: s.MaxRecipients, NeedConfirm: len(ids) > s.ConfirmAbove}
	if u.FeatureOff("messaging") {
		v.Unavailable = "Messaging is switched off on this Moodle site, so messages cannot be sent from the dashboard. Your Moodle administrator can switch it on (Site administration › General › Messaging)."
	} else if !u.Allows(fnSendMsg) {
		v.Unavailable = "Your Moodle site's web service does not include core_message_send_instant_messages, so messages cannot be sent from the dashboard. Your Moodle administrator can add it; until then, use Moodle's own messaging."
	}
	for _, id := range ids {
		st, _ := c.Student(id)
		mr := views.MessageRecipient{UserID: id, Name: st.FullName}
		var fl []string
		for _, f := range st.Flags {
			fl = append(fl, views.FlagLabels[f.Code])
		}
		mr.Flags = strings.Join(fl, ", ")
		v.Recipients = append(v.Recipients, mr)
	}
	return v
}

func (s *server) renderCompose(w http.ResponseWriter, r *http.Request, c *cohort.Cohort, status int, v views.ComposeView) error {
	p := s.page(r, "Message students", courseCrumbs(c, views.Crumb{Label: "Message"})...)
	s.render(w, r, status, views.ComposePage(p, v))
	return nil
}

func (s *server) renderResult(w http.ResponseWriter, r *http.Request, c *cohort.Cohort, key, text string, res contact.Result, repeat bool) error {
	res.Repeat = res.Repeat || repeat
	v := views.ComposeView{CourseID: c.Course.ID, CourseName: c.Course.FullName, Path: views.CoursePath(c.Course.ID), Key: key, Text: text}
	v.Result = s.resultView(c, res)
	v.Result.CanNote = userFrom(r).Allows(fnNotesAdd)
	return s.renderCompose(w, r, c, http.StatusOK, v)
}

func (s *server) resultView(c *cohort.Cohort, res contact.Result) *views.MessageResult {
	mr := &views.MessageResult{Repeat: res.Repeat, NoteText: "Messaged through Moodle on " + res.Created.In(c.Config.Location).Format("2 Jan 2006") + ": “…”"}
	for _, o := range res.Outcomes {
		name := "Student " + strconv.FormatInt(o.UserID, 10)
		if st, ok := c.Student(o.UserID); ok {
			name = st.FullName
		}
		mr.Rows = append(mr.Rows, views.MessageOutcome{UserID: o.UserID, Name: name, Status: string(o.Status), Reason: o.Reason,
			Href: views.StudentPath(c.Course.ID, o.UserID)})
		switch o.Status {
		case contact.Sent:
			mr.Sent++
			mr.SentIDs = append(mr.SentIDs, o.UserID)
		case contact.Failed:
			mr.Failed++
			mr.RetryIDs = append(mr.RetryIDs, o.UserID)
		default:
			mr.Unknown++
			mr.RetryIDs = append(mr.RetryIDs, o.UserID)
		}
	}
	return mr
}
