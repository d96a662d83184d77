/**
 * What every Stamp listener shares: its lifecycle with graceful stop, connection
 * admission against {@code max-connections}, idle closing, TLS from Spring Boot SSL
 * bundles, published ports, and the scheduler that runs blocking handlers.
 */
@NullMarked
package dev.stamp.boot.listener;

import org.jspecify.annotations.NullMarked;
