package load

import (
	"context"
	"sync"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/moodle"
	"golang.org/x/sync/errgroup"
)

// StudentExtras is what the student page shows beyond the cohort row: the profile as Moodle
// shows it in this course, the grade items (quizzes and others, with feedback), the notes and
// the conversation with the teacher. A part that could not be loaded is named in Missing.
type StudentExtras struct {
	Profile      *moodle.CourseUserProfile
	GradeItems   []moodle.GradeItem
	Notes        *moodle.CourseNotes
	NotesError   error // why notes are not shown (permission, function not in service)
	Conversation *moodle.Conversation
	ConvError    error // why the conversation is not shown; ErrConversationNotFound: none yet
	Missing      []string
}

// StudentOptions say which optional parts the token's service allows.
type StudentOptions struct {
	Notes, Conversation bool
}

// Student loads the extras of one student of a course. The caller has already checked, from
// the course snapshot, that the student is one this teacher can see.
func (l *Loader) Student(ctx context.Context, w moodle.Credentials, courseID, userID int64, o StudentOptions) (*StudentExtras, error) {
	key := l.studentKey(w, courseID, userID)
	if v, ok := cache.Get[*StudentExtras](l.cache, key); ok {
		return v, nil
	}
	return shared(ctx, l, key.String(), func(ctx context.Context) (*StudentExtras, error) {
		x := &StudentExtras{}
		var mu sync.Mutex
		missing := func(what string) { mu.Lock(); x.Missing = append(x.Missing, what); mu.Unlock() }
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error {
			ps, err := l.mc.CourseUserProfiles(gctx, w.Token, courseID, []int64{userID})
			if err != nil {
				if isFatal(err) {
					return err
				}
				missing("the student's profile")
				return nil
			}
			for i := range ps {
				if ps[i].ID == userID {
					x.Profile = &ps[i]
				}
			}
			return nil
		})
		g.Go(func() error {
			r, err := l.mc.GradeItems(gctx, w.Token, courseID, userID)
			if err != nil {
				if isFatal(err) {
					return err
				}
				missing("grade items")
				return nil
			}
			for _, ug := range r.UserGrades {
				if ug.UserID == userID {
					x.GradeItems = ug.GradeItems
				}
			}
			return nil
		})
		if o.Notes {
			g.Go(func() error {
				x.Notes, x.NotesError = l.mc.CourseNotes(gctx, w.Token, courseID, userID)
				if isFatal(x.NotesError) {
					return x.NotesError
				}
				return nil
			})
		}
		if o.Conversation {
			g.Go(func() error {
				x.Conversation, x.ConvError = l.mc.ConversationBetweenUsers(gctx, w.Token, w.UserID, userID,
					moodle.ConversationOptions{MessageLimit: 20})
				if isFatal(x.ConvError) {
					return x.ConvError
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		l.cache.SetFor(key, x, l.cfg.StudentTTL)
		return x, nil
	})
}

// ForgetStudent drops a student's extras after a write (a note added, a message sent).
func (l *Loader) ForgetStudent(w moodle.Credentials, courseID, userID int64) {
	l.cache.Delete(l.studentKey(w, courseID, userID))
}

func (l *Loader) studentKey(w moodle.Credentials, courseID, userID int64) cache.Key {
	return cache.CourseKey(owner(w), "student", courseID, itoa(userID))
}
