<?php
// php -S runs this before every script (auto_prepend_file, tests/hosts/wordpress.mjs): Debian's
// /usr/share/wordpress/wp-config.php then reads /etc/wordpress/config-speedup-lab-test.php
// (written by scripts/setup-wordpress.sh), which reads the test's own settings from the file
// named by SPEEDUP_LAB_WP_CONFIG. The host name stays free: no config-127.0.0.1.php or
// config-localhost.php of anyone else's is read or written.
$_SERVER['WORDPRESS_CONFIG'] = 'speedup-lab-test';
