<?php
/**
 * Plugin Name: Speedup Lab test: the lab's loopback host may be fetched
 *
 * A must-use plugin in the test's own content dir, nowhere else (tests/hosts/wordpress.mjs). It
 * is a test-only concession: WordPress fetches an oEmbed provider with wp_safe_remote_get(),
 * which refuses loopback and private addresses (wp_http_validate_url) and every port but 80, 443
 * and 8080, so the lab served on 127.0.0.1:<free port> would never be discovered. This allows
 * exactly that host and port (SPEEDUP_LAB_URL, from the test's config); an author's lab is on a
 * public host, which needs nothing of the kind.
 */
$speedup_lab = wp_parse_url( SPEEDUP_LAB_URL );
add_filter(
	'http_request_host_is_external',
	function ( $external, $host ) use ( $speedup_lab ) {
		return $external || $host === $speedup_lab['host'];
	},
	10,
	2
);
add_filter(
	'http_allowed_safe_ports',
	function ( $ports, $host ) use ( $speedup_lab ) {
		if ( $host === $speedup_lab['host'] ) {
			$ports[] = $speedup_lab['port'];
		}
		return $ports;
	},
	10,
	2
);
