/**
 * TLS helpers: the generated development certificate (ECDSA P-256, valid 10 days, for
 * {@code serverCertificateHashes}) and trust by certificate hash.
 */
@NullMarked
package dev.stamp.webtransport.tls;

import org.jspecify.annotations.NullMarked;
