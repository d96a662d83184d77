/**
 * Stamp's Spring Boot auto-configuration: the {@link dev.stamp.boot.StampRoute}
 * annotation, the {@code stamp.*} properties, and the auto-configuration that starts a
 * listener for each protocol with routes; each protocol has a package of its own.
 */
package dev.stamp.boot;
