package handlers_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Benchmarks of the warm pages: what one request costs the dashboard once the course is
// cached (the Moodle side is measured by cmd/loadgen). Run with `make perf`.

func benchmarkWarm(b *testing.B, big, pageSize int, path string) {
	e := newEnv(b, func(o *envOptions) {
		o.bigStudents, o.pageSize, o.cacheTTL = big, pageSize, time.Hour
	})
	br := e.browser()
	br.signInTeacher()
	if p := br.get(path); p.status != http.StatusOK { // the cold load
		b.Fatalf("GET %s: %d", path, p.status)
	}
	e.site.ResetCalls()
	b.ReportAllocs()
	bytes := 0
	for b.Loop() {
		resp, err := br.c.Get(e.app.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := drain(resp)
		bytes = n
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
	}
	b.ReportMetric(float64(bytes), "body-bytes")
	if n := e.site.Requests(); n != 0 {
		b.Fatalf("warm pages made %d Moodle requests", n)
	}
}

func drain(resp *http.Response) (int, error) {
	defer resp.Body.Close()
	buf := make([]byte, 32<<10)
	n := 0
	for {
		m, err := resp.Body.Read(buf)
		n += m
		if err != nil {
			return n, nil
		}
	}
}

func BenchmarkWarmCohortPage(b *testing.B) {
	for _, tt := range []struct{ students, pageSize int }{{500, 100}, {500, 0}, {5000, 100}} {
		b.Run(fmt.Sprintf("students=%d/page=%d", tt.students, tt.pageSize), func(b *testing.B) {
			course := "/course/3"
			if tt.students == 5000 {
				course = "/course/4"
			}
			benchmarkWarm(b, tt.students, tt.pageSize, course)
		})
	}
}

func BenchmarkWarmCohortCSV500(b *testing.B) { benchmarkWarm(b, 0, 100, "/course/3/export.csv") }

func BenchmarkWarmActivities500(b *testing.B) { benchmarkWarm(b, 0, 100, "/course/3/activities") }

// BenchmarkWarmQueue5000 is the attention queue and the grid sorted by attention of the
// 5,000-student demo course (87 % flagged), warm.
func BenchmarkWarmQueue5000(b *testing.B) {
	b.Run("queue", func(b *testing.B) { benchmarkWarm(b, 5000, 100, "/course/4/queue") })
	b.Run("grid-attention", func(b *testing.B) { benchmarkWarm(b, 5000, 100, "/course/4?sort=attention") })
}
