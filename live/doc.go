// Package live checks the dashboard against a real Moodle 4.5: the site scripts/moodle/up.sh
// installs and seeds with Moodle's own data generator (course KTSLIVE, 64 students, so a
// completion batch holds more than 10 inner calls). The tests build and start the real server
// binary against that site, sign in as its teacher, tutor and student, and compare every cell
// of the cohort and activities CSVs with what scripts/moodle/truth.php computes inside Moodle
// through Moodle's own PHP APIs. They also send a message and a note through the dashboard
// and read Moodle's tables (scripts/moodle/query.php) to see each stored exactly once.
//
// KTS_LIVE_MOODLE names the env file up.sh prints. Without it the tests skip, saying how to
// run them (make live); with CI=true they fail instead, so CI cannot pass without the live
// suite. The package has no code outside its tests.
package live
