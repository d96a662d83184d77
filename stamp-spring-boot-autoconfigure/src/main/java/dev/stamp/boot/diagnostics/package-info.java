/**
 * Failure analysis for Stamp: what a failed start means and which setting or code to
 * change, printed by Spring Boot instead of a stack trace.
 */
@NullMarked
package dev.stamp.boot.diagnostics;

import org.jspecify.annotations.NullMarked;
