/**
 * The sample application: one Spring Boot app with Stamp endpoints on every protocol.
 */
@NullMarked
package dev.stamp.sample;

import org.jspecify.annotations.NullMarked;
