<?php
// timezone.php: sets a user's own time zone in their Moodle profile, for the live suite (as
// the web user), and prints the zone it had, so that the test can put it back:
//
//   php timezone.php --user=USERNAME --tz=Australia/Brisbane     (99: the site's default)
//
// Prints JSON {"user": ..., "previous": ..., "timezone": ...}.

require(__DIR__ . '/bootstrap.php');

$user = $DB->get_record('user', ['username' => kts_option('user'), 'deleted' => 0], '*', MUST_EXIST);
$tz = kts_option('tz');
if ($tz !== '99' && !in_array($tz, DateTimeZone::listIdentifiers(), true)) {
    fwrite(STDERR, "unknown time zone $tz\n");
    exit(2);
}
$DB->set_field('user', 'timezone', $tz, ['id' => $user->id]);
\core\event\user_updated::create_from_userid($user->id)->trigger();
echo json_encode(['user' => $user->username, 'previous' => $user->timezone, 'timezone' => $tz]), "\n";
