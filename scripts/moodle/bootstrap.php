<?php
// bootstrap.php: shared start of the harness's CLI scripts. Finds the Moodle code from
// --moodle=DIR (else $KTS_LIVE_MOODLE_DIR, else /opt/kts-moodle/moodle), loads Moodle's
// config.php as a CLI script, and gives the other --name=value options in $kts_options.

define('CLI_SCRIPT', true);

$kts_options = [];
foreach (array_slice($argv, 1) as $arg) {
    if (preg_match('/^--([a-z0-9_-]+)(?:=(.*))?$/s', $arg, $m)) {
        $kts_options[$m[1]] = $m[2] ?? '1';
    } else {
        fwrite(STDERR, "unexpected argument: $arg\n");
        exit(2);
    }
}
$kts_moodle = $kts_options['moodle'] ?? (getenv('KTS_LIVE_MOODLE_DIR') ?: '/opt/kts-moodle/moodle');
if (!is_file($kts_moodle . '/config.php')) {
    fwrite(STDERR, "no Moodle site at $kts_moodle (run scripts/moodle/up.sh)\n");
    exit(2);
}
require($kts_moodle . '/config.php');

/**
 * kts_option returns a required option or stops with a usage line.
 */
function kts_option(string $name): string {
    global $kts_options;
    if (!isset($kts_options[$name]) || $kts_options[$name] === '') {
        fwrite(STDERR, "missing --$name=...\n");
        exit(2);
    }
    return $kts_options[$name];
}
