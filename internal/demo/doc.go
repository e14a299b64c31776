// Package demo is a deterministic, generated, in-memory fake Moodle 4.5 site.
//
// It answers HTTP the way a real Moodle does (POST /webservice/rest/server.php
// with Moodle's bracket-notation form fields, POST /login/token.php), with the
// field names, nesting, JSON types and error bodies recorded from a real Moodle
// in internal/moodle/moodlefixtures. The dashboard's real Moodle client can
// therefore talk to it over the network: for demo mode, for benchmarks at 500
// and 5,000 students, and for browser tests.
//
// The site holds:
//
//   - KTS101 (course id 2), the seeded course of the fixtures README, student
//     for student: the same ids, names, groups, enrolment states, submissions,
//     grades, completion states and relative timestamps;
//   - BIG500 (course id 3), 500 generated students with seeded-random
//     engagement;
//   - optionally a bigger generated course (course id 4, e.g. BIG5000) for
//     benchmarks, sized by Options.BigStudents.
//
// Every timestamp is relative to Options.Now, the way the fixtures are relative
// to the moment the lab was seeded. Messages and notes written through the web
// services are kept in memory and can be read back by tests (SentMessages,
// Notes). A latency model (Options.Latency, RealisticLatency) makes the site as
// slow as a real Moodle when a benchmark needs it.
package demo
