package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/perf"
)

// bench is the demo Moodle, the dashboard under test, and what plays the teachers.
type bench struct {
	o      options
	site   *demo.Site
	rec    *perf.Recorder
	moodle *http.Server
	srv    *child
	tr     *http.Transport
	log    io.Writer
}

// dataAge is how long before the run the demo's students last worked. The generator puts
// most of them one minute before its anchor; a teacher opening the dashboard at that very
// minute would see an incremental refresh re-read all of them once (they were at work
// within -refresh-margin of the load), which is right but not the case measured here.
const dataAge = 10 * time.Minute

func newBench(ctx context.Context, o options, log io.Writer) (*bench, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	moodleURL := "http://" + ln.Addr().String()
	b := &bench{o: o, rec: &perf.Recorder{}, log: log,
		tr: &http.Transport{MaxIdleConns: 1000, MaxIdleConnsPerHost: 1000, IdleConnTimeout: time.Minute}}
	fmt.Fprintf(log, "loadgen: building the demo Moodle (BIG500 and %d students)…\n", o.students)
	b.site = demo.New(demo.Options{Now: time.Now().Add(-dataAge), BaseURL: moodleURL, BigStudents: o.students,
		Latency: demo.RealisticLatency(), Observe: b.rec.Add})
	b.moodle = &http.Server{Handler: b.site.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go b.moodle.Serve(ln)
	fmt.Fprintln(log, "loadgen: starting the dashboard…")
	if b.srv, err = startServer(ctx, o, moodleURL, log); err != nil {
		b.moodle.Close()
		return nil, err
	}
	return b, nil
}

func (b *bench) close() {
	b.srv.close()
	b.moodle.Close()
	b.tr.CloseIdleConnections()
}

// all runs every measurement in turn.
func (b *bench) all(ctx context.Context) (*results, error) {
	r := &results{o: b.o, machine: machine(), loadStart: loadAvg()}
	defer func() { r.loadEnd = loadAvg() }()
	for _, c := range b.courses() {
		fmt.Fprintf(b.log, "loadgen: %s: cold load…\n", c.name)
		cold, err := b.cold(ctx, c.id)
		if err != nil {
			return nil, fmt.Errorf("%s cold: %w", c.name, err)
		}
		cr := courseResults{name: c.name, students: c.students, cold: cold}
		for _, w := range c.warm {
			fmt.Fprintf(b.log, "loadgen: %s: warm %s…\n", c.name, w.name)
			res, err := b.warm(ctx, w.paths, b.o.warm, b.o.think)
			if err != nil {
				return nil, fmt.Errorf("%s warm %s: %w", c.name, w.name, err)
			}
			res.name = w.name
			cr.warm = append(cr.warm, res)
		}
		if b.o.saturate > 0 {
			fmt.Fprintf(b.log, "loadgen: %s: warm cohort pages without pauses…\n", c.name)
			res, err := b.warm(ctx, c.warm[0].paths, b.o.saturate, 0)
			if err != nil {
				return nil, err
			}
			res.name = c.warm[0].name + ", no pauses"
			cr.saturated = &res
		}
		fmt.Fprintf(b.log, "loadgen: %s: refresh after 5 %% of the students moved…\n", c.name)
		if cr.refresh, err = b.refresh(ctx, c.id, cold); err != nil {
			return nil, fmt.Errorf("%s refresh: %w", c.name, err)
		}
		if cr.memory, err = perf.ProcessMemory(b.srv.pid()); err != nil {
			return nil, err
		}
		r.courses = append(r.courses, cr)
	}
	return r, nil
}

type course struct {
	name     string
	id       int64
	students int
	warm     []warmSpec
}

type warmSpec struct {
	name  string
	paths []string
}

func (b *bench) courses() []course {
	pages := func(id int64) []string {
		p := fmt.Sprintf("/course/%d", id)
		return []string{p, p + "?page=3", p + "?sort=completion&dir=desc", p + "?attention=1", p + "?sort=access&page=2"}
	}
	cs := []course{{name: "BIG500", id: demo.BIG500CourseID, students: 500, warm: []warmSpec{
		{"cohort page", pages(demo.BIG500CourseID)},
		{"CSV export", []string{"/course/3/export.csv", "/course/3/export.csv?attention=1"}},
		{"activities page", []string{"/course/3/activities", "/course/3/activities?suspended=1"}},
	}}}
	if b.o.students > 0 {
		cs = append(cs, course{name: fmt.Sprintf("BIG%d", b.o.students), id: demo.BigCourseID, students: b.o.students,
			warm: []warmSpec{{"cohort page", pages(demo.BigCourseID)}}})
	}
	return cs
}
